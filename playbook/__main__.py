"""``python -m playbook``."""
from .cli import run

run()
