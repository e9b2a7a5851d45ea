"""Package data: the LLM prompt templates and the clause-audit playbooks (read with importlib.resources)."""
