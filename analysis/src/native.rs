//! Native libraries behind `-sys` crates: which of their functions wait.
//!
//! A `-sys` crate's `extern "C"` functions have no Rust body to read, and
//! their declarations are usually generated at build time (in `OUT_DIR`,
//! which pollguard never creates: it runs no build script). What a native
//! function does is a fact about the C library, so it is listed here, keyed
//! by the `links =` name Cargo uses for that library, one entry per library
//! with the evidence for it. A call of a listed function, from any crate
//! that reaches the `-sys` crate, is a blocking root in the entry's rule.
//! Libraries that only compute (compression, hashing, cryptography) are
//! listed with no functions, so a reader sees they were considered.

use crate::catalog::{
    DNS_LOOKUP, FS_CALL, HTTP_BLOCKING, NET_IO, PROCESS_WAIT, Rule, SYNC_DB, SYNC_WAIT,
    THREAD_SLEEP,
};

/// One native library.
#[derive(Debug)]
pub struct NativeLib {
    /// Cargo's `links =` name (`sqlite3`).
    pub links: &'static str,
    /// The rule a blocking call is reported under.
    pub rule: &'static Rule,
    /// Names, or name prefixes ending in `_`, of the functions that wait
    /// for disk, network or another process. Empty: the library only
    /// computes.
    pub blocking: &'static [&'static str],
    /// Why.
    pub evidence: &'static str,
}

/// The system calls that take a path, under the names both the C library
/// and rustix give them.
#[rustfmt::skip]
const PATH_CALLS: &[&str] = &[
    "open", "openat", "stat", "lstat", "statx", "statfs", "statvfs", "access", "mkdir",
    "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "link", "linkat", "symlink",
    "symlinkat", "readlink", "readlinkat", "chmod", "chown", "truncate", "setxattr", "lsetxattr",
    "getxattr", "lgetxattr", "listxattr", "llistxattr", "removexattr", "lremovexattr", "utimensat",
];

const PATH_EVIDENCE: &str = "open(2), stat(2), statvfs(3), mkdir(2), rename(2), setxattr(2): each resolves a path and reads or writes the file system, what `std::fs` calls them for";

/// The table.
pub static NATIVE_LIBS: &[NativeLib] = &[
    NativeLib {
        links: "sqlite3",
        rule: &SYNC_DB,
        blocking: &[
            "sqlite3_open",
            "sqlite3_open_v2",
            "sqlite3_prepare",
            "sqlite3_prepare_v2",
            "sqlite3_prepare_v3",
            "sqlite3_step",
            "sqlite3_exec",
            "sqlite3_get_table",
            "sqlite3_close",
            "sqlite3_close_v2",
            "sqlite3_backup_step",
            "sqlite3_blob_open",
            "sqlite3_blob_read",
            "sqlite3_blob_write",
            "sqlite3_wal_checkpoint",
            "sqlite3_wal_checkpoint_v2",
        ],
        evidence: "sqlite.org/c3ref: `sqlite3_step` and `sqlite3_exec` read and write the database file and wait in the busy handler while another connection holds the lock; `sqlite3_open_v2` opens the file; `prepare` reads the schema",
    },
    NativeLib {
        links: "rocksdb",
        rule: &SYNC_DB,
        blocking: &[
            "rocksdb_open",
            "rocksdb_open_",
            "rocksdb_put",
            "rocksdb_put_",
            "rocksdb_get",
            "rocksdb_get_",
            "rocksdb_multi_get",
            "rocksdb_delete",
            "rocksdb_delete_",
            "rocksdb_write",
            "rocksdb_merge",
            "rocksdb_flush",
            "rocksdb_flush_",
            "rocksdb_compact_range",
            "rocksdb_iter_seek",
            "rocksdb_iter_seek_",
            "rocksdb_iter_next",
            "rocksdb_iter_prev",
            "rocksdb_transaction_commit",
            "rocksdb_transaction_get",
            "rocksdb_transaction_get_",
            "rocksdb_transaction_put",
            "rocksdb_transaction_put_",
            "rocksdb_transaction_delete",
            "rocksdb_transaction_delete_",
            "rocksdb_transaction_multi_get",
            "rocksdb_transactiondb_open",
            "rocksdb_transactiondb_open_",
            "rocksdb_transactiondb_put",
            "rocksdb_transactiondb_put_",
            "rocksdb_transactiondb_get",
            "rocksdb_transactiondb_get_",
            "rocksdb_transactiondb_delete",
            "rocksdb_transactiondb_delete_",
            "rocksdb_transactiondb_write",
            "rocksdb_transactiondb_flush",
            "rocksdb_transactiondb_flush_",
            "rocksdb_optimistictransactiondb_open",
            "rocksdb_optimistictransactiondb_open_",
            "rocksdb_checkpoint_create",
            "rocksdb_create_column_family",
            "rocksdb_destroy_db",
            "rocksdb_repair_db",
            "rocksdb_ingest_external_file",
            "rocksdb_backup_engine_",
        ],
        evidence: "rocksdb's c.h wraps `DB::Open`, `Put`, `Get`, `Write`, `Flush`, `CompactRange` and iterator seeks, which read SST files and append to the WAL synchronously; its `TransactionDB` and `Transaction` twins do the same, and a pessimistic transaction's `Put`, `Delete` and `GetForUpdate` also wait for the key's lock (`TransactionOptions::lock_timeout`)",
    },
    NativeLib {
        links: "lmdb",
        rule: &SYNC_DB,
        blocking: &[
            "mdb_env_open",
            "mdb_env_sync",
            "mdb_env_copy",
            "mdb_txn_begin",
            "mdb_txn_commit",
            "mdb_get",
            "mdb_put",
            "mdb_del",
            "mdb_cursor_get",
            "mdb_cursor_put",
            "mdb_dbi_open",
            "mdb_drop",
        ],
        evidence: "lmdb.h: a write `mdb_txn_begin` waits for the writer mutex, `mdb_txn_commit` writes and fsyncs, reads fault in pages of the memory-mapped file",
    },
    NativeLib {
        links: "pq",
        rule: &SYNC_DB,
        blocking: &[
            "PQconnectdb",
            "PQconnectdbParams",
            "PQsetdbLogin",
            "PQexec",
            "PQexecParams",
            "PQexecPrepared",
            "PQprepare",
            "PQdescribePrepared",
            "PQgetResult",
            "PQreset",
            "PQping",
            "PQpingParams",
            "PQgetCopyData",
            "PQputCopyData",
            "PQputCopyEnd",
        ],
        evidence: "libpq docs, \"Command Execution Functions\": `PQexec` and `PQgetResult` wait for the server; the asynchronous API is `PQsendQuery` with `PQconsumeInput`",
    },
    NativeLib {
        links: "mysqlclient",
        rule: &SYNC_DB,
        blocking: &[
            "mysql_real_connect",
            "mysql_query",
            "mysql_real_query",
            "mysql_store_result",
            "mysql_use_result",
            "mysql_next_result",
            "mysql_fetch_row",
            "mysql_ping",
            "mysql_commit",
            "mysql_rollback",
            "mysql_select_db",
            "mysql_stmt_prepare",
            "mysql_stmt_execute",
            "mysql_stmt_fetch",
            "mysql_stmt_store_result",
        ],
        evidence: "MySQL C API: `mysql_real_query` sends the statement and waits for the reply; the non-blocking variants end in `_nonblocking`",
    },
    NativeLib {
        // `odbc-sys` links `odbc` (unixODBC), `iodbc` or `odbc32` without a
        // `links` key: it is known by its name.
        links: "odbc",
        rule: &SYNC_DB,
        blocking: &[
            "SQLConnect",
            "SQLConnectW",
            "SQLDriverConnect",
            "SQLDriverConnectW",
            "SQLBrowseConnectW",
            "SQLDisconnect",
            "SQLExecDirect",
            "SQLExecDirectW",
            "SQLExecute",
            "SQLPrepare",
            "SQLPrepareW",
            "SQLFetch",
            "SQLFetchScroll",
            "SQLGetData",
            "SQLMoreResults",
            "SQLPutData",
            "SQLParamData",
            "SQLEndTran",
            "SQLBulkOperations",
            "SQLSetPos",
            "SQLTables",
            "SQLTablesW",
            "SQLColumns",
            "SQLColumnsW",
            "SQLForeignKeys",
            "SQLForeignKeysW",
            "SQLColumnPrivilegesW",
            "SQLGetTypeInfo",
        ],
        evidence: "ODBC API reference (learn.microsoft.com, \"Asynchronous Execution (Polling Method)\"): a statement or connection function runs synchronously, returning when the data source has answered, unless `SQL_ATTR_ASYNC_ENABLE` is set; `SQLExecDirect` and `SQLExecute` submit the statement, `SQLFetch` and `SQLGetData` return rows and columns from the data source, `SQLDriverConnect` connects",
    },
    NativeLib {
        links: "curl",
        rule: &HTTP_BLOCKING,
        blocking: &["curl_easy_perform", "curl_multi_wait", "curl_multi_poll"],
        evidence: "libcurl docs: `curl_easy_perform` performs the whole transfer \"in a blocking manner\"; `curl_multi_wait` and `curl_multi_poll` wait for activity",
    },
    NativeLib {
        links: "git2",
        rule: &FS_CALL,
        blocking: &[
            "git_clone",
            "git_repository_open",
            "git_repository_open_",
            "git_repository_init",
            "git_repository_init_",
            "git_remote_fetch",
            "git_remote_push",
            "git_remote_connect",
            "git_remote_download",
            "git_remote_upload",
            "git_checkout_",
            "git_index_read",
            "git_index_write",
            "git_index_write_tree",
            "git_index_add_bypath",
            "git_index_add_all",
            "git_commit_create",
            "git_commit_lookup",
            "git_tree_lookup",
            "git_blob_lookup",
            "git_object_lookup",
            "git_reference_lookup",
            "git_revwalk_next",
            "git_odb_read",
            "git_odb_write",
            "git_status_list_new",
            "git_diff_tree_to_tree",
            "git_diff_tree_to_workdir",
            "git_diff_index_to_workdir",
            "git_branch_create",
            "git_tag_create",
            "git_worktree_add",
        ],
        evidence: "libgit2 reads and writes the repository's files (objects, index, refs) in these calls, and `git_clone`/`git_remote_fetch` also wait on the network",
    },
    NativeLib {
        links: "ssh2",
        rule: &NET_IO,
        blocking: &[
            "libssh2_session_handshake",
            "libssh2_userauth_",
            "libssh2_channel_open_ex",
            "libssh2_channel_process_startup",
            "libssh2_channel_read_ex",
            "libssh2_channel_write_ex",
            "libssh2_channel_wait_eof",
            "libssh2_channel_wait_closed",
            "libssh2_channel_direct_tcpip_ex",
            "libssh2_scp_",
            "libssh2_sftp_",
        ],
        evidence: "libssh2 sessions are blocking unless `libssh2_session_set_blocking(s, 0)`: the handshake, authentication and channel reads and writes wait on the socket",
    },
    NativeLib {
        links: "zmq",
        rule: &NET_IO,
        blocking: &[
            "zmq_recv",
            "zmq_send",
            "zmq_msg_recv",
            "zmq_msg_send",
            "zmq_poll",
            "zmq_proxy",
        ],
        evidence: "zmq_recv(3), zmq_send(3): without `ZMQ_DONTWAIT` they wait for a message or for room in the queue; `zmq_poll` waits for events",
    },
    NativeLib {
        links: "rdkafka",
        rule: &NET_IO,
        blocking: &[
            "rd_kafka_flush",
            "rd_kafka_committed",
            "rd_kafka_offsets_for_times",
            "rd_kafka_query_watermark_offsets",
            "rd_kafka_metadata",
            "rd_kafka_list_groups",
            "rd_kafka_consumer_close",
            "rd_kafka_init_transactions",
            "rd_kafka_commit_transaction",
            "rd_kafka_abort_transaction",
            "rd_kafka_send_offsets_to_transaction",
        ],
        evidence: "librdkafka's rdkafka.h: `rd_kafka_flush` waits for every queued message to be delivered, `rd_kafka_committed`, `rd_kafka_metadata`, `rd_kafka_query_watermark_offsets` and the transaction calls send a request to the broker and wait up to their `timeout_ms` for the reply, `rd_kafka_consumer_close` waits to leave the group. Producing (`rd_kafka_producev`) only queues; `rd_kafka_commit` and the polls are left out: with `async` set or a zero timeout they return at once, and the flag is not seen through the Rust wrapper",
    },
    // The C library, through the `libc` crate (and `nix`, which wraps it):
    // only calls that wait by definition. `read`, `write`, `accept` or
    // `poll` may be made on a non-blocking descriptor, as every reactor
    // does, and are left to the Rust types that own the descriptor.
    NativeLib {
        links: "libc",
        rule: &PROCESS_WAIT,
        blocking: &["waitpid", "waitid", "wait", "wait4", "wait3"],
        evidence: "wait(2): these suspend the caller until a child changes state (unless `WNOHANG` is passed)",
    },
    NativeLib {
        links: "libc",
        rule: &THREAD_SLEEP,
        blocking: &["sleep", "usleep", "nanosleep", "clock_nanosleep", "pause"],
        evidence: "sleep(3), nanosleep(2), pause(2): the calling thread is suspended",
    },
    NativeLib {
        links: "libc",
        rule: &FS_CALL,
        blocking: &["flock", "lockf", "fsync", "fdatasync", "sync", "syncfs"],
        evidence: "flock(2) waits for a conflicting lock unless `LOCK_NB`; fsync(2) waits for the device",
    },
    // What `std::fs` does, called by path: each asks the file system,
    // which may wait for the disk or a network mount, as the catalog's
    // `std::fs` functions do. Calls on a descriptor (`read`, `fstat`) are
    // left out: it may be a socket or a pipe made non-blocking.
    NativeLib {
        links: "libc",
        rule: &FS_CALL,
        blocking: PATH_CALLS,
        evidence: PATH_EVIDENCE,
    },
    NativeLib {
        links: "libc",
        rule: &FS_CALL,
        blocking: &[
            "open64",
            "openat64",
            "creat",
            "stat64",
            "lstat64",
            "fstatat",
            "fstatat64",
            "statfs64",
            "statvfs64",
            "faccessat",
            "renameat2",
            "fchmodat",
            "lchown",
            "fchownat",
            "truncate64",
            "opendir",
            "realpath",
            "utimes",
            "mknod",
            "mknodat",
            "mkfifo",
            "mkfifoat",
        ],
        evidence: PATH_EVIDENCE,
    },
    NativeLib {
        links: "libc",
        rule: &DNS_LOOKUP,
        blocking: &[
            "getaddrinfo",
            "gethostbyname",
            "gethostbyname2",
            "gethostbyaddr",
            "getnameinfo",
        ],
        evidence: "getaddrinfo(3) queries the resolver (files, DNS) synchronously",
    },
    NativeLib {
        links: "libc",
        rule: &SYNC_WAIT,
        blocking: &[
            "sigwait",
            "sigwaitinfo",
            "sigsuspend",
            "pthread_join",
            "pthread_cond_wait",
        ],
        evidence: "sigwait(3), pthread_join(3), pthread_cond_wait(3): the thread waits for another",
    },
    // rustix makes the same system calls as `libc` without declaring them
    // (inline assembly on Linux): its path functions are listed by name,
    // under the crate's name. A call given a non-blocking flag
    // (`FlockOperation::NonBlockingLockExclusive`) does not wait.
    NativeLib {
        links: "rustix",
        rule: &FS_CALL,
        blocking: PATH_CALLS,
        evidence: "rustix's `fs` functions are the system calls of the same name (open(2), statvfs(3), setxattr(2)); on Linux they are made with inline assembly, so there is no body to read",
    },
    NativeLib {
        links: "rustix",
        rule: &FS_CALL,
        blocking: &[
            "openat2",
            "statat",
            "accessat",
            "renameat_with",
            "chmodat",
            "chownat",
            "fsetxattr",
            "fgetxattr",
            "flistxattr",
            "fremovexattr",
            "mknodat",
            "fsync",
            "fdatasync",
            "syncfs",
            "sync",
            "fallocate",
            "flock",
        ],
        evidence: "fsync(2) waits for the device, flock(2) for a conflicting lock; the `f*xattr` calls read and write the file's inode",
    },
    NativeLib {
        links: "zstd",
        rule: &FS_CALL,
        blocking: &[],
        evidence: "zstd compresses and decompresses buffers in memory; any file I/O is the Rust caller's",
    },
    NativeLib {
        links: "z",
        rule: &FS_CALL,
        blocking: &[],
        evidence: "zlib's `deflate`/`inflate` work on memory buffers",
    },
    NativeLib {
        links: "bzip2",
        rule: &FS_CALL,
        blocking: &[],
        evidence: "libbz2's `BZ2_bzCompress`/`BZ2_bzDecompress` work on memory buffers",
    },
    NativeLib {
        links: "lzma",
        rule: &FS_CALL,
        blocking: &[],
        evidence: "liblzma's `lzma_code` works on memory buffers",
    },
    NativeLib {
        links: "openssl",
        rule: &NET_IO,
        blocking: &[],
        evidence: "the `openssl` crate drives SSL over a Rust BIO: reads and writes go through the wrapped stream's Rust `Read`/`Write`, which pollguard reads itself; the library's own calls compute",
    },
];

/// The library a `-sys` crate binds, by the table's names: its `links =`
/// key, or, for a crate that leaves the key out (`sqlite3-sys`,
/// `lmdb-master-sys`), its name without `-sys` (without a leading `lib`, or
/// up to its first dash) when the table lists it.
pub fn library_of(links: Option<&str>, package: &str) -> Option<String> {
    if let Some(l) = links {
        return Some(l.to_owned());
    }
    let stem = package.strip_suffix("-sys")?;
    let bare = stem.strip_prefix("lib").unwrap_or(stem);
    // `lmdb-master-sys` binds lmdb: a fork's suffix after the library's name.
    let first = bare.split('-').next().unwrap_or(bare);
    [stem, bare, first]
        .into_iter()
        .find(|s| NATIVE_LIBS.iter().any(|l| l.links == *s))
        .map(str::to_owned)
}

/// The rule a call of native function `name` of the library linked as
/// `links` is reported under, if it waits.
pub fn blocking_call(links: &str, name: &str) -> Option<&'static Rule> {
    NATIVE_LIBS
        .iter()
        // Cargo allows `links` names with a version suffix (`ring_core_0_17`):
        // only the listed name counts, exactly.
        .filter(|l| l.links == links)
        .find(|lib| {
            lib.blocking.iter().any(|b| {
                if b.ends_with('_') {
                    name.len() > b.len() && name.starts_with(b)
                } else {
                    *b == name
                }
            })
        })
        .map(|lib| lib.rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sys_crate_without_links_is_known_by_its_name() {
        assert_eq!(
            library_of(Some("ssh2"), "libssh2-sys").as_deref(),
            Some("ssh2")
        );
        assert_eq!(library_of(None, "sqlite3-sys").as_deref(), Some("sqlite3"));
        assert_eq!(
            library_of(None, "libsqlite3-sys").as_deref(),
            Some("sqlite3")
        );
        assert_eq!(library_of(None, "lmdb-master-sys").as_deref(), Some("lmdb"));
        assert_eq!(library_of(None, "odbc-sys").as_deref(), Some("odbc"));
        assert_eq!(library_of(None, "unknown-sys"), None);
        assert_eq!(library_of(None, "sqlite3"), None);
    }

    #[test]
    fn listed_names_and_prefixes_block_others_do_not() {
        assert_eq!(blocking_call("sqlite3", "sqlite3_step"), Some(&SYNC_DB));
        assert_eq!(blocking_call("sqlite3", "sqlite3_libversion"), None);
        assert_eq!(blocking_call("odbc", "SQLExecDirectW"), Some(&SYNC_DB));
        assert_eq!(blocking_call("odbc", "SQLAllocHandle"), None);
        assert_eq!(blocking_call("sqlite3", "sqlite3_stepx"), None);
        assert_eq!(
            blocking_call("ssh2", "libssh2_userauth_password_ex"),
            Some(&NET_IO)
        );
        assert_eq!(blocking_call("zstd", "ZSTD_compress"), None);
        assert_eq!(blocking_call("unknown", "sqlite3_step"), None);
        assert_eq!(blocking_call("libc", "waitpid"), Some(&PROCESS_WAIT));
        assert_eq!(blocking_call("libc", "nanosleep"), Some(&THREAD_SLEEP));
        assert_eq!(blocking_call("libc", "read"), None);
        assert_eq!(blocking_call("libc", "statvfs"), Some(&FS_CALL));
        assert_eq!(blocking_call("rustix", "setxattr"), Some(&FS_CALL));
        assert_eq!(blocking_call("rustix", "flock"), Some(&FS_CALL));
        assert_eq!(blocking_call("rdkafka", "rd_kafka_flush"), Some(&NET_IO));
        // Producing only queues; a commit may be asynchronous.
        assert_eq!(blocking_call("rdkafka", "rd_kafka_producev"), None);
        assert_eq!(blocking_call("rdkafka", "rd_kafka_commit"), None);
        // A `TransactionDB` opens and reads as the plain one does; building
        // its options touches nothing.
        assert_eq!(
            blocking_call("rocksdb", "rocksdb_transactiondb_open"),
            Some(&SYNC_DB)
        );
        assert_eq!(
            blocking_call("rocksdb", "rocksdb_transaction_get_for_update"),
            Some(&SYNC_DB)
        );
        assert_eq!(
            blocking_call("rocksdb", "rocksdb_transactiondb_options_create"),
            None
        );
    }

    #[test]
    fn every_library_says_why() {
        for lib in NATIVE_LIBS {
            assert!(!lib.evidence.is_empty(), "{} has no evidence", lib.links);
            assert!(!lib.links.is_empty());
        }
    }
}
