"""drafter: first drafts of a local government's clean-government speech (政府廉政工作会议讲话)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
