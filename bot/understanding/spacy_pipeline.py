"""Builds, saves and loads the project's spaCy pipeline.

No pretrained model can be downloaded here, so the pipeline is `spacy.blank("en")`
plus our `symptom_matcher` component. It is saved inside the project (build/)
and Rasa's SpacyNLP loads it by path. The component keeps a copy of the lexicon
in the saved folder, so a saved pipeline always matches what it was built from.
"""

import argparse
import shutil
from pathlib import Path

import spacy
from spacy.language import Language

from bot.understanding.extraction import SymptomMatcher
from bot.understanding.lexicon import (
    LEXICON_PATH,
    Lexicon,
    lexicon_from_text,
    load_lexicon,
)

PIPELINE_DIR = (
    Path(__file__).resolve().parent.parent.parent / "build" / "spacy_symptoms"
)


class _SavedMatcher(SymptomMatcher):
    """SymptomMatcher that can be written to and read from disk."""

    def __init__(self, nlp: Language, lexicon: Lexicon, lexicon_text: str):
        super().__init__(nlp, lexicon)
        self._nlp = nlp
        self.lexicon_text = lexicon_text

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lexicon.yml").write_text(self.lexicon_text, encoding="utf-8")

    def from_disk(self, path, exclude=()):
        text = (Path(path) / "lexicon.yml").read_text(encoding="utf-8")
        self.__init__(self._nlp, lexicon_from_text(text), text)
        return self


@Language.factory("symptom_matcher")
def make_symptom_matcher(nlp: Language, name: str):
    text = LEXICON_PATH.read_text(encoding="utf-8")
    return _SavedMatcher(nlp, load_lexicon(), text)


def build_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("symptom_matcher")
    nlp.meta["name"] = "symptoms"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "blank English + rule-based symptom matcher (bot/)"
    return nlp


def save_pipeline(target: Path = PIPELINE_DIR) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(target)
    return target


def load_pipeline(path: Path = PIPELINE_DIR) -> Language:
    return spacy.load(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PIPELINE_DIR)
    args = parser.parse_args()
    print(f"spaCy pipeline saved to {save_pipeline(args.out)}")


if __name__ == "__main__":
    main()
