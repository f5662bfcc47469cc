"""The service extract (../shared/interchange.md): import and export.

Entry points: ``extract_check`` and ``extract_import`` (importer),
``extract_export`` (exporter), ``DirectorySource`` / ``ZipSource`` (reader),
and ``register`` for other apps' files (framework)."""
