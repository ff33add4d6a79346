"""Modal dialogs, one per file: each a ``ModalScreen[T]`` that dismisses with its answer."""
