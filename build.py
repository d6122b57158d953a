#!/usr/bin/env python3
"""Shim: ``python build.py ...`` is ``playbook ...``."""
from playbook.cli import run

run()
