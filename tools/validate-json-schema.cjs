#!/usr/bin/env node
// Validates a JSON document against a JSON Schema (draft-04 such as SARIF
// 2.1.0, or draft-07/2019-09/2020-12) with Ajv. Schemas the main one $refs
// by $id (CycloneDX 1.5 refs spdx.schema.json and jsf-0.82.schema.json) are
// given as extra arguments. Exit 0 when valid, 1 when not (errors printed),
// 2 on usage or load errors (including a $ref that cannot be resolved).
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, 'npm', 'node_modules');

function load(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// Formats CycloneDX uses that ajv-formats does not define. Checked loosely
// (what no IRI or address may contain) rather than ignored.
function addMissingFormats(ajv) {
  ajv.addFormat('iri-reference', /^[^\s\u0000-\u001f\u007f"<>\\^`{|}]*$/u);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
}

function main(argv) {
  if (argv.length < 2) {
    console.error('usage: validate-json-schema.cjs SCHEMA.json DOCUMENT.json [REFERENCED-SCHEMA.json...]');
    return 2;
  }
  let schema, doc;
  const refs = [];
  try {
    schema = load(argv[0]);
    doc = load(argv[1]);
    for (const file of argv.slice(2)) refs.push(load(file));
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
  addMissingFormats(ajv);
  let validate;
  try {
    for (const ref of refs) ajv.addSchema(ref);
    validate = ajv.compile(schema);
  } catch (e) {
    console.error(`cannot compile the schema: ${e.message}`);
    return 2;
  }
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
