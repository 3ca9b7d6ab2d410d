import re, sys, os, glob, collections
root = '/work/heldout9'
projs = sys.argv[1:] or sorted(p for p in os.listdir(root) if os.path.isfile(f'{root}/{p}/Cargo.toml'))
lab = re.compile(r'//~ ([a-z_]+)$')
for p in projs:
    specf = f'{root}/.spec/{p}.spec'
    if not os.path.exists(specf): print(p, 'NO SPEC'); continue
    rows = []
    for l in open(specf):
        if not l.strip(): continue
        parts = [x.strip() for x in l.rstrip('\n').split(' | ')]
        if len(parts) != 7: print('BAD ROW', p, l); continue
        rows.append(parts + [[]])
    for f in sorted(glob.glob(f'{root}/{p}/src/**/*.rs', recursive=True)):
        rel = os.path.relpath(f, f'{root}/{p}/src')
        for i, line in enumerate(open(f), 1):
            m = lab.search(line.rstrip('\n'))
            if not m: continue
            hits = [r for r in rows if (r[4] == rel or r[4] == os.path.basename(rel)) and re.search(r[5], line)]
            if len(hits) != 1:
                print(f'{p}/{rel}:{i} {len(hits)} matches: {line.strip()}'); continue
            r = hits[0]
            if r[3] != m.group(1): print(f'{p}/{rel}:{i} cat mismatch {r[3]} vs {m.group(1)}')
            r[7].append((rel, i))
    for r in rows:
        if not r[7]: print(p, 'unused row', r[1])
