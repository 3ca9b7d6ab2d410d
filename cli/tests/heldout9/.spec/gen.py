import re, os, glob, collections
root='/work/heldout9'
CATS=['fs','net','dns','process','stdio','sleep','block_on','channel','thread_join','http_blocking','lock','db']
DESC={
'plc-gateway':'Industrial telemetry gateway: polls PLC holding registers over Modbus TCP/RTU (tokio-modbus sync + async clients), reads a flow meter over a raw serial line (serialport), publishes samples and receives set-point commands over MQTT (paho-mqtt sync Client + AsyncClient), checks clock skew against NTP (ntp). Modules: config (incl. the NTP check), field/{mod (AsyncPlc), modbus_sync, serial}, uplink/{mod, mqtt} (glob re-export), gateway.',
'doc-indexer':'Document indexing service (axum): ingests partner XML feeds (quick-xml), stores bodies in LevelDB (rusty-leveldb), full-text index in tantivy, thumbnail arena in a memory-mapped file (memmap2), editorial catalog over ODBC (odbc-api), camino paths. Modules: store/{kv,blobs} (glob import), ingest, search, catalog, api.',
'jobrunner':'Background build worker: pulls jobs from Faktory (faktory 0.12 sync client), consumes rebuild requests / emits events on Kafka (rdkafka BaseProducer/BaseConsumer vs FutureProducer/StreamConsumer), runs shell builds (std::process), analyses logs on a rayon pool, handles SIGTERM/SIGHUP (signal-hook vs signal-hook-tokio), futures-lite/futures block_on. Modules: queue/{faktory_q,kafka} (glob import), exec, compute, signals, runner.',
'netprobe':'Network health prober CLI/daemon (clap): DNS checks against an internal resolver (hickory-client SyncClient vs AsyncClient), SNMP polling (snmp2 SyncSession vs AsyncSession), TLS certificate checks (native-tls vs tokio-native-tls), HTTP health endpoints and webhook (minreq), std UDP/ToSocketAddrs. Modules: probes/{dns,snmp,tls,http}, report, scheduler.',
'desk-agent':'Linux desktop agent: D-Bus notifications and logind power management (zbus blocking vs async Connection), config-dir watching (inotify read_events_blocking vs event stream), global hotkeys (evdev fetch_events vs event stream), remote syslog over TCP (syslog), $EDITOR integration (edit). Modules: bus/{notify,power} (glob re-export), input, watch, logging, agent.',
'ops-bot':'ChatOps bot (axum webhook + console mode): renders runbooks from templates (minijinja path_loader vs render_str), runs them with merged stdout/stderr pipes (os_pipe), drives interactive tools through a pty (rexpect), loads secrets (dotenv), audit logging (fern). Modules: settings, audit, runbook/{templates,shell,repl} (glob import), bot.',
'media-catalog':'Media library catalog service: scans the library (std::fs), extracts FLAC tags (claxon), EXIF (kamadak-exif), MP4 headers and samples (mp4), hashes files through mmap (memmap2), MIME guessing (mime_guess, pure), catalog persisted with RwLock/Mutex/Condvar. Modules: scan, meta/{mod (content hashing, imported in service.rs as `meta::{self as hashing}`), audio, photo, video}, catalog, service.',
'config-sync':'Configuration distribution agent: mirrors a ZooKeeper subtree (zookeeper), writes constant-database snapshots (cdb), answers local clients over a local socket (interprocess sync vs tokio), renders templates in a sandboxed child over ipc-channel, logging via log4rs. Modules: zk, snapshot, ipc/{mod, local, child} (re-exports), logging, agent.',
}
lab=re.compile(r'//~ ([a-z_]+)$'); trap=re.compile(r'//~ ok\(([a-z_]+)\)$')
def third(c): return not (c.startswith('std') or c.startswith('futures 0.3') or c.startswith('tokio '))
projs=sorted(p for p in os.listdir(root) if os.path.isfile(f'{root}/{p}/Cargo.toml'))
data={}
for p in projs:
    rows=[]
    for l in open(f'{root}/.spec/{p}.spec'):
        if l.strip(): rows.append([x.strip() for x in l.rstrip('\n').split(' | ')]+[[]])
    bc=collections.Counter(); tc=collections.Counter(); xf=tp=n=0; files=0
    for f in sorted(glob.glob(f'{root}/{p}/src/**/*.rs', recursive=True)):
        files+=1
        rel=os.path.relpath(f, f'{root}/{p}/src')
        for i,line in enumerate(open(f),1):
            line=line.rstrip('\n'); m=lab.search(line); t=trap.search(line)
            if t: tc[t.group(1)]+=1
            if m:
                bc[m.group(1)]+=1; n+=1
                r=[r for r in rows if (r[4]==rel or r[4]==os.path.basename(rel)) and re.search(r[5], line)]
                assert len(r)==1,(p,rel,i); r=r[0]
                r[7].append(f'src/{rel}:{i}'+('*' if r[6]=='1' else ''))
                xf+= r[6]=='1'; tp+= third(r[0])
    data[p]=dict(b=bc,t=tc,xf=xf,tp=tp,n=n,rows=rows,files=files)
TB=sum((d['b'] for d in data.values()),collections.Counter()); TT=sum((d['t'] for d in data.values()),collections.Counter())
N=sum(TB.values()); NT=sum(TT.values()); XF=sum(d['xf'] for d in data.values()); TP=sum(d['tp'] for d in data.values())
crates=collections.defaultdict(lambda:[0,set(),set()])
for p,d in data.items():
    for r in d['rows']:
        if third(r[0]) and r[7]:
            name=r[0].split(' (')[0]; nm,ver=name.split(' ')[0],name.split(' ')[1] if ' ' in name else ''
            crates[nm][0]+=len(r[7]); crates[nm][1].add(p); crates[nm][2].add(ver)
L=[]
L.append('# heldout9 — labels\n')
L.append('Blind, hand-labelled corpus of 8 standalone tokio applications for a "blocking call in async code" lint. Written without looking at the lint.\n')
L.append('## Conventions\n')
L.append('''- `//~ cat` at the end of the line where a blocking call expression starts, in async code (an `async fn` or `async` block that runs on the tokio executor).
- For the project's own sync helpers and methods of its own types, the label is at the helper's call site in async code; nothing inside sync helpers, `std::thread::spawn` closures or `spawn_blocking` closures is labelled as blocking.
- `//~ ok(cat)` marks a trap: an async twin, an in-memory variant, a builder or constructor that does no I/O (or only lazy I/O), a non-blocking `try_*`/zero-timeout call, an `.await` of an async fn, a blocking call inside a std thread or `spawn_blocking` closure, a parse of an already-loaded string, … (`cat` = what it looks like).
- Categories: fs, net, dns, process, stdio, sleep, block_on, channel, thread_join, http_blocking, lock, db.
- One label per line; a line with several blocking calls of different categories carries the dominant wait (e.g. `mutex.lock().unwrap().read_block()` → `net`, `File::open` inside `read_from_container(..)` → `fs`).
- Not labelled: `Command::spawn()`, `std::thread::spawn`, writes to stdout/stderr (incl. `log`/`tracing` macros), pure path arithmetic, and calls whose blocking status is ambiguous (e.g. `tantivy::IndexWriter::add_document`, `TlsConnector::new`, `inotify` watch registration, listener `bind`, `rexpect::spawn`, `send_line`). Unlabelled lines are "no claim", not negatives.
- D-Bus/unix-socket/pty/IPC conventions: D-Bus and local-socket round trips → `net`; ipc-channel and signal-hook self-pipe waits → `channel`; pty expect loops and pipe reads fed by a child → `process`; serial/evdev/inotify device-fd reads → `fs`; third-party clients that hide a private runtime `block_on` (tokio-modbus sync, zbus blocking, hickory SyncClient, paho sync Client) are labelled by what they wait for (`net`/`dns`), explicit `futures::executor::block_on`, `futures_lite::future::block_on`, `Handle::block_on` and paho `Token::wait()` → `block_on`.
- Every third-party label was followed into the crate source under `~/.cargo/registry/src/` at the version in that project's `Cargo.lock`; chains are in EVIDENCE.md.
''')
L.append('## Build status\n')
L.append('Each project is a standalone binary crate with an empty `[workspace]` table, a `Cargo.lock` (`cargo generate-lockfile`) and its sources fetched (`cargo fetch`). All 8 pass `cargo check --offline` (plc-gateway needs `cmake` and `libudev-dev` for paho-mqtt-sys / libudev-sys build scripts). `.spec/` holds the per-project label→API tables used to generate this file and EVIDENCE.md (`python3 .spec/check.py` verifies that every blocking label maps to exactly one evidence row).\n')
L.append('## Counting\n')
L.append('```sh\ncd /work/heldout9\ngrep -rhoE \'//~ [a-z_]+$\' */src | sort | uniq -c          # blocking\ngrep -rhoE \'//~ ok\\([a-z_]+\\)$\' */src | sort | uniq -c   # traps\n```\n')
L.append('## Totals\n')
L.append('| category | blocking | traps |\n|---|---:|---:|')
for c in CATS: L.append(f'| {c} | {TB[c]} | {TT[c]} |')
L.append(f'| **total** | **{N}** | **{NT}** |\n')
L.append(f'- Blocking labels that need another file of the project (own helper / method on own type / field type declared elsewhere / glob import): **{XF} of {N} ({100*XF/N:.1f}%)** — marked `*` in EVIDENCE.md.')
L.append(f'- Blocking labels whose wait happens inside a third-party crate (not std, not `futures::executor`, not tokio `Handle`): **{TP} of {N} ({100*TP/N:.1f}%)**.')
L.append(f'- Third-party crates with blocking labels: **{len(crates)}**.\n')
L.append('| crate | version | blocking labels | projects |\n|---|---|---:|---|')
for nm,(k,ps,vs) in sorted(crates.items(), key=lambda x:(-x[1][0],x[0])):
    L.append(f'| {nm} | {", ".join(sorted(vs))} | {k} | {", ".join(sorted(ps))} |')
L.append('')
L.append('Other third-party crates used only as traps / plumbing: tokio-serial, signal-hook-tokio, tokio-native-tls, mime_guess, shell-words, toml, axum, sha2, serde_json, futures, clap, chrono.\n')
L.append('## Per project\n')
for p,d in data.items():
    L.append(f'### {p}\n')
    L.append(DESC[p]+'\n')
    L.append(f'{d["files"]} source files; {d["n"]} blocking ({d["xf"]} cross-file, {d["tp"]} third-party), {sum(d["t"].values())} traps.\n')
    L.append('| category | blocking | traps |\n|---|---:|---:|')
    for c in CATS:
        if d['b'][c] or d['t'][c]: L.append(f'| {c} | {d["b"][c]} | {d["t"][c]} |')
    L.append(f'| total | {d["n"]} | {sum(d["t"].values())} |\n')
open(f'{root}/LABELS.md','w').write('\n'.join(L))
E=['# heldout9 — evidence\n','One row per labelled API and call shape. "where it blocks" follows the call from the labelled line (project file:line, paths relative to the project) into the crate source (paths relative to `~/.cargo/registry/src/index.crates.io-*/<crate>-<version>/`) down to the call that waits. "lines labeled": `*` = the label needs another file of the project (helper, own method, field type declared elsewhere, glob import).\n']
for p,d in data.items():
    lock=open(f'{root}/{p}/Cargo.lock').read()
    E.append(f'## {p}\n')
    E.append('### Third-party APIs\n')
    E.append('| crate (version) | API used | where it blocks | category | lines labeled |\n|---|---|---|---|---|')
    for r in d['rows']:
        if third(r[0]) and r[7]: E.append(f'| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {", ".join(r[7])} |')
    E.append('\n### std / futures / tokio calls (for completeness)\n')
    E.append('| source | API used | where it blocks | category | lines labeled |\n|---|---|---|---|---|')
    for r in d['rows']:
        if not third(r[0]) and r[7]: E.append(f'| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {", ".join(r[7])} |')
    E.append('')
open(f'{root}/EVIDENCE.md','w').write('\n'.join(E))
print(N,NT,XF,TP,len(crates))
