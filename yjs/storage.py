from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names in production, with ES module imports rewritten to them."""

    support_js_module_import_aggregation = True
