"""What the parts of the web app share: the assistant, the library writer, folders, and how a
failing handler is reported (logged once with its traceback; the user sees one Chinese line)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import PolicyQAError

log = logging.getLogger("policyqa.web")


@dataclass
class AppContext:
    assistant: object  # rag.assistant.Assistant
    library: object  # ui.app.Library: the one writer of the document library
    temp_dir: Path  # gradio's folder: uploads arrive here, exports are handed out from here
    report_dir: Path  # the evaluation report shown in 评测
    feedback: object  # ui.feedback.FeedbackStore
    auth_required: bool = False

    @property
    def settings(self):
        return self.assistant.settings

    @property
    def exports(self) -> Path:
        folder = self.temp_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @property
    def editable(self) -> bool:
        """Whether this deployment lets people upload and remove documents."""
        return not self.settings.read_only


def reported(action: str):
    """Wrap a UI handler: a failure is logged with its traceback for the operator, and the user sees
    one Chinese line (gradio shows a gr.Error's message even with show_error off)."""

    def wrap(handler):
        @functools.wraps(handler)
        def run(*args, **kwargs):
            import gradio as gr

            try:
                return handler(*args, **kwargs)
            except gr.Error:
                raise
            except PolicyQAError as error:
                log.warning("%s failed: %s", action, error, exc_info=True)
                raise gr.Error(f"{action}失败：{error}", print_exception=False) from error
            except Exception as error:
                log.exception("%s failed", action)
                raise gr.Error(f"{action}失败：内部错误（{type(error).__name__}），已记入服务器日志，请稍后重试。",
                               print_exception=False) from error

        return run

    return wrap
