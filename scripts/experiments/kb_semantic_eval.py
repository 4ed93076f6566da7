# Experiment: see scripts/experiments/README.md. Run from scripts/experiments/.
import sys

import numpy as np
import yaml
from threadpoolctl import threadpool_limits

from bot.kb.content import load_content
from bot.kb.db import session_scope, upgrade
from bot.kb.encoder import Encoder
from bot.kb.evaluate import _section_ok
from bot.kb.search import KnowledgeBase

url = "sqlite:////tmp/kbeval.db"
upgrade(url)
with session_scope(url) as s:
    load_content(s)
kb = KnowledgeBase(url)
kb.search("warm up")
enc = Encoder()
docs = [d for d in kb._docs.values() if d.hit.doc_type == "fact"]
with threadpool_limits(1):
    D = np.stack([enc.encode(d.hit.text) for d in docs])


def sem(q):
    with threadpool_limits(1):
        v = enc.encode(q)
    s = D @ v
    i = int(np.argmax(s))
    return docs[i].hit, float(s[i])


for f in sys.argv[1:]:
    items = yaml.safe_load(open(f))["questions"]
    res = {"lex": 0, "sem": 0, "combo": 0}
    oos = {"lex": 0, "sem": 0, "combo": 0}
    na = no = 0
    for it in items:
        a = kb.search(it["q"])
        h, score = sem(it["q"])
        if "article" in it:
            none = it["article"] == "none"

            def ok(hit, it=it):
                return hit is not None and _section_ok(it, hit)

        else:
            none = it["expect"] == "none"

            def ok(hit, it=it):
                return hit is not None and hit.key in it["expect"]

        lex_hit = a.hits[0] if a.found else None
        sem_hit = h if score >= 0.35 else None
        # combo: trust semantic when lexical found nothing or sem score high
        combo_hit = lex_hit
        if sem_hit is not None and (lex_hit is None or score >= 0.55):
            combo_hit = sem_hit
        if a.not_covered:
            combo_hit = None
            sem_hit = None
        for k, hit in (("lex", lex_hit), ("sem", sem_hit), ("combo", combo_hit)):
            if none:
                oos[k] += hit is None
            else:
                res[k] += ok(hit)
        na += not none
        no += none
    print(
        f,
        "answerable",
        {k: f"{v}/{na}" for k, v in res.items()},
        "refused",
        {k: f"{v}/{no}" for k, v in oos.items()},
    )
