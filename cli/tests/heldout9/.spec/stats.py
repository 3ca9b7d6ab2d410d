import re, os, glob, collections, json
root='/work/heldout9'
projs=sorted(p for p in os.listdir(root) if os.path.isfile(f'{root}/{p}/Cargo.toml'))
lab=re.compile(r'//~ ([a-z_]+)$'); trap=re.compile(r'//~ ok\(([a-z_]+)\)$')
out={}
for p in projs:
    rows=[]
    for l in open(f'{root}/.spec/{p}.spec'):
        if l.strip():
            parts=[x.strip() for x in l.rstrip('\n').split(' | ')]; rows.append(parts+[[]])
    bc=collections.Counter(); tc=collections.Counter(); xf=0; tp=0; n=0
    for f in sorted(glob.glob(f'{root}/{p}/src/**/*.rs', recursive=True)):
        rel=os.path.relpath(f, f'{root}/{p}/src')
        for i,line in enumerate(open(f),1):
            line=line.rstrip('\n')
            m=lab.search(line); t=trap.search(line)
            if t: tc[t.group(1)]+=1
            if m:
                bc[m.group(1)]+=1; n+=1
                r=[r for r in rows if (r[4]==rel or r[4]==os.path.basename(rel)) and re.search(r[5], line)][0]
                r[7].append(f'{rel}:{i}'+('*' if r[6]=='1' else ''))
                if r[6]=='1': xf+=1
                if not (r[0].startswith('std') or r[0].startswith('futures 0.3') or r[0].startswith('tokio ')): tp+=1
    out[p]=dict(b=bc,t=tc,xf=xf,tp=tp,n=n,rows=rows)
json.dump({p:{k:(v if k!='rows' else v) for k,v in d.items()} for p,d in out.items()}, open(f'{root}/.spec/stats.json','w'), default=list, indent=1)
tot=sum(d['n'] for d in out.values()); xf=sum(d['xf'] for d in out.values()); tp=sum(d['tp'] for d in out.values())
print('blocking',tot,'xf',xf,round(100*xf/tot,1),'thirdparty',tp,round(100*tp/tot,1))
for p,d in out.items(): print(p,d['n'],sum(d['t'].values()),'xf',d['xf'],'tp',d['tp'])
crates=collections.Counter()
for p,d in out.items():
    for r in d['rows']:
        if not (r[0].startswith('std') or r[0].startswith('futures 0.3') or r[0].startswith('tokio ')) and r[7]:
            crates[r[0].split(' (')[0].split(' ')[0]]+=len(r[7])
print(len(crates), crates)
