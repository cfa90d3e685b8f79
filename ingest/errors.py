"""Domain exceptions. Library code raises these; the CLI and UI translate them once."""


class PolicyQAError(Exception):
    """Base class: the message says what went wrong, with which file or value, and what to do."""


class SkippedFile(PolicyQAError):
    """A file that cannot be ingested. The batch goes on without it."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{getattr(path, 'name', path)}: {reason}")


class IndexMismatch(PolicyQAError):
    """The index was built with another embedding model or chunker than the settings ask for."""


class IndexMissing(PolicyQAError):
    """No index in the data folder yet."""


class ModelUnavailable(PolicyQAError):
    """The embedding model cannot be loaded (not prepared, or not present offline)."""


class InvalidSetting(PolicyQAError):
    """A setting has a value that cannot work."""


class CatalogDamaged(PolicyQAError):
    """The catalog file fails its integrity check (truncated, overwritten, or from another version)."""


class StoreMismatch(PolicyQAError):
    """The vector store does not hold the vectors the catalog lists (another server, a lost collection)."""


class WriterBusy(PolicyQAError):
    """Another process is writing to the data folder and the caller asked not to wait."""


class StoreUnavailable(PolicyQAError):
    """The `chroma run` server holding the vectors cannot be reached."""


class InvalidFilter(PolicyQAError, ValueError):
    """A retrieval filter or argument that names an unknown key or holds a value of the wrong kind."""
