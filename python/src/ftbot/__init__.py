"""Runs the bundled ftbot CLI (a Node.js program shipped inside this package)."""

__all__ = ["cli_path", "find_node", "main"]

from ftbot._launcher import cli_path, find_node, main
