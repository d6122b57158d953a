"""``python -m playbook``."""
from .cli import main

main()
