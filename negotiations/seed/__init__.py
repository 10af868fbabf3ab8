"""The seed knowledge base: five articles byte for byte, what they say in knowledge_base.toml,
and the loader that brings both into the database (see README.md here)."""
