#!/usr/bin/env python3
"""Repackage Debian python3-* .debs as pip wheels for the lab (stdlib only).

The vulnerable lab image pip-installs old, pinned library versions (its
requirements.txt), the classic way a Python service ends up with known
vulnerable dependencies. Nothing from PyPI is reachable here, so the wheels
are built locally from Debian bullseye's binary packages of those versions:
the package directories plus a dist-info made from the egg-info.

Usage: make_wheels.py OUT_DIR PACKAGE.deb...
"""
import base64
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

DIST_PACKAGES = "usr/lib/python3/dist-packages"
FIXED_TIME = (2021, 1, 1, 0, 0, 0)  # reproducible archives


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def egg_info(root):
    for entry in sorted(root.iterdir()):
        match = re.fullmatch(r"(.+)-([^-]+?)(?:-py\d\.\d+)?\.egg-info", entry.name)
        if match:
            return entry, match.group(1), match.group(2)
    raise SystemExit(f"no egg-info in {root}")


def metadata_of(info):
    pkg_info = info / "PKG-INFO" if info.is_dir() else info
    return pkg_info.read_bytes()


def top_level(info, root):
    # Everything the .deb put in dist-packages belongs to this one package.
    names = []
    for entry in sorted(root.iterdir()):
        if entry == info or entry.suffix == ".so":
            continue
        names.append(entry.stem if entry.suffix == ".py" else entry.name)
    return names


def files_of(root, modules):
    for module in modules:
        path = root / module
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                # Compiled pieces of another interpreter never load here.
                if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".so":
                    yield file.relative_to(root).as_posix(), file.read_bytes()
        elif (root / (module + ".py")).is_file():
            yield module + ".py", (root / (module + ".py")).read_bytes()


def build_wheel(deb, out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", str(deb), tmp], check=True)
        root = pathlib.Path(tmp) / DIST_PACKAGES
        info, name, version = egg_info(root)
        dist_info = f"{name}-{version}.dist-info"
        modules = top_level(info, root)
        entries = list(files_of(root, modules))
        entries.append((f"{dist_info}/METADATA", metadata_of(info)))
        entries.append((f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: bulwark-lab\n"
                        b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
        entries.append((f"{dist_info}/top_level.txt", ("\n".join(modules) + "\n").encode()))
        record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in entries)
        record += f"{dist_info}/RECORD,,\n"
        entries.append((f"{dist_info}/RECORD", record.encode()))
        wheel = out_dir / f"{name}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in entries:
                archive.writestr(zipfile.ZipInfo(path, FIXED_TIME), data)
        print(f"{deb.name} -> {wheel.name}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for deb in sys.argv[2:]:
        build_wheel(pathlib.Path(deb), out_dir)


if __name__ == "__main__":
    main()
