import re, os, sys, glob
R=os.path.expanduser('~/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f')
for p in sys.argv[1:]:
    lock=open(f'{p}/Cargo.lock').read()
    for l in open(f'.spec/{p}.spec'):
        parts=[x.strip() for x in l.split(' | ')]
        c, chain = parts[0], parts[2]
        crates=[f'{R}/{n}-{v}' for n,v in re.findall(r'([a-z0-9_-]+) (\d+\.\d+\.\d+)', c)]
        extra=re.findall(r'\b(crossbeam-channel|rayon-core|mio-serial|filebuffer)\b', c+chain)
        for e in extra:
            m=re.search(r'name = "%s"\nversion = "([^"]+)"'%e, lock)
            if m: crates.append(f'{R}/{e}-{m.group(1)}')
        cur=None
        for tok in re.finditer(r'((?:[\w.-]+/)*[\w]+\.rs)?:(\d+)', chain):
            f,n=tok.group(1),int(tok.group(2))
            if f: cur=f
            if not cur: continue
            cands=glob.glob(f'{p}/src/**/{cur}',recursive=True)+[f'{p}/src/{cur}']
            for cd in crates: cands += [f'{cd}/{cur}', f'{cd}/src/{cur}', f'{R}/{cur}']
            path=next((x for x in cands if os.path.isfile(x)),None)
            if not path: print(f'?? {p} [{c[:25]}] {cur}:{n}'); continue
            lines=open(path,errors='replace').read().split('\n')
            print(f'{p[:8]} {os.path.relpath(path,R) if path.startswith(R) else cur}:{n}  {lines[n-1].strip()[:100] if n<=len(lines) else "EOF"}')
