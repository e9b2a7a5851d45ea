"""Where things are, for every test."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
PLAYBOOK = REPO / "assistant" / "prompts" / "playbooks" / "outsourcing.yaml"
