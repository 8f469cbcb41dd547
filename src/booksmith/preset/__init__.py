"""Layout presets: load_preset() resolves a preset by name or path into a Preset."""

from booksmith.preset.load import load_preset, preset_names
from booksmith.preset.model import Preset

__all__ = ["Preset", "load_preset", "preset_names"]
