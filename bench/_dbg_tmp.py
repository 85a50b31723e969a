import sys; sys.path.insert(0, ".")
from bench.attribution_eval import *
arts=load_polnear()
for art in arts:
    atts=find_attributions(art.text, split_sentences(art.text))
    weak=[a for a in atts if a.strength is Strength.weak]
    for s,e,t in art.sources:
        lab=label_source(t)
        if lab is None: continue
        hit=[a for a in weak if overlaps((s,e),(a.start,a.end))]
        isweak = lab in WEAK_LABELS
        if isweak and not hit and 'fn' in sys.argv:
            ls=art.text.rfind('\n',0,s)+1; le=art.text.find('\n',e)
            print('FN',lab.value, repr(t), '::', art.text[max(ls,s-100):min(le if le>0 else e+100,e+100)].replace('\n',' '))
        if hit and not isweak and 'fp' in sys.argv:
            print('FP',lab.value, repr(t), '::', [ (h.text,h.kind.value) for h in hit])
if 'prec' in sys.argv:
    import collections
    c=collections.Counter()
    for art in arts:
        atts=find_attributions(art.text, split_sentences(art.text))
        targets=[(s,e) for s,e,_ in art.sources]+art.cues
        for a in atts:
            if not any(overlaps((a.start,a.end),t) for t in targets):
                c[a.kind.value]+=1
                print('MISS', a.kind.value, a.strength.value, repr(a.text))
    print(c)
