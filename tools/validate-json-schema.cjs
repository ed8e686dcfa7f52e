#!/usr/bin/env node
// Validates a JSON document against a JSON Schema (draft-04 such as SARIF
// 2.1.0, or draft-07/2019-09/2020-12) with Ajv. Exit 0 when valid, 1 when not
// (errors printed), 2 on usage or load errors.
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, 'npm', 'node_modules');

function load(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: validate-json-schema.cjs SCHEMA.json DOCUMENT.json');
    return 2;
  }
  let schema, doc;
  try {
    schema = load(argv[0]);
    doc = load(argv[1]);
  } catch (e) {
    console.error(`cannot load input: ${e.message}`);
    return 2;
  }
  const draft04 = String(schema.$schema || '').includes('draft-04');
  const Ajv = draft04 ? require(path.join(modules, 'ajv-draft-04'))
                      : require(path.join(modules, 'ajv')).default;
  const addFormats = require(path.join(modules, 'ajv-formats'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(doc)) {
    console.log('valid');
    return 0;
  }
  for (const err of validate.errors) {
    console.log(`${err.instancePath || '/'}: ${err.message} ${JSON.stringify(err.params)}`);
  }
  return 1;
}

process.exit(main(process.argv.slice(2)));
