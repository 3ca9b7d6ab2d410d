import re, os
maps={}
for l in open('.spec/refmap.txt'):
    if not l.strip(): continue
    head, pat = l.rstrip('\n').split(' = ',1)
    p, ref = head.split(' ',1); f, n = ref.rsplit(':',1)
    maps[(p,f,int(n))]=pat
def resolve(p,f,n):
    for (pp,ff,nn),pat in maps.items():
        if pp==p and nn==n and (ff==f or ff.endswith('/'+f) or f.endswith('/'+ff) or os.path.basename(ff)==os.path.basename(f)):
            import glob
            full=next((x for x in [f'{p}/src/{ff}', f'{p}/src/{f}'] if os.path.isfile(x)),None) or next(iter(glob.glob(f'{p}/src/**/{os.path.basename(f)}', recursive=True)),None)
            if full is None: return None
            lines=open(full).read().split('\n')
            hits=[i+1 for i,x in enumerate(lines) if re.search(pat,x)]
            if len(hits)!=1: print('AMBIG',p,f,n,pat,hits); return None
            return hits[0]
    return None
for p in sorted(set(k[0] for k in maps)):
    out=[]
    for l in open(f'.spec/{p}.spec'):
        parts=l.rstrip('\n').split(' | ')
        def fix(m):
            f=m.group(1); a=int(m.group(2)); b=m.group(3)
            import glob
            if not (os.path.isfile(f'{p}/src/{f}') or glob.glob(f'{p}/src/**/{f}', recursive=True)): return m.group(0)
            na=resolve(p,f,a)
            if na is None: print('MISS',p,f,a); return m.group(0)
            if b:
                nb=resolve(p,f,int(b))
                if nb is None: print('MISS',p,f,b); return m.group(0)
                return f'{f}:{na}-{nb}' if nb!=na else f'{f}:{na}'
            return f'{f}:{na}'
        parts[2]=re.sub(r'\b((?:[\w]+/)*[\w]+\.rs):(\d+)(?:-(\d+))?', fix, parts[2])
        out.append(' | '.join(parts)+'\n')
    open(f'.spec/{p}.spec','w').write(''.join(out))
