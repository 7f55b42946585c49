"""Runs the bundled ftbot CLI (a Node.js program shipped inside this package)."""

__all__ = ["cli_path", "find_node"]

from ftbot.__main__ import cli_path, find_node
