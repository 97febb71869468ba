//! トークン利用の記録 (recording API-token uses) as a group commit.
//!
//! Every use of a token is written to the audit log before its handler runs. Written one by one,
//! each use would be a write transaction of its own, and on SQLite writes take turns: a client
//! polling with a token at a few hundred requests a second would queue behind itself (measured:
//! under 5 requests/s with `wrk`, against thousands with a cookie). So the uses of concurrent
//! requests are gathered by one task and written together in one transaction, and each request
//! waits for the commit that holds its own use: nothing is answered before its use is recorded,
//! and a burst costs one write turn instead of hundreds.

use crate::state::WriteGate;
use sea_orm::DatabaseConnection;
use std::sync::OnceLock;
use tabane_core::service::service_accounts::{self, TokenUse};
use tokio::sync::{mpsc, oneshot};

/// Uses written in one transaction at most.
const BATCH: usize = 512;

type Waiting = (TokenUse, oneshot::Sender<bool>);

/// The way to the recording task of this server (started at the first use).
#[derive(Default)]
pub struct TokenUseLog {
    tx: OnceLock<mpsc::Sender<Waiting>>,
}

impl TokenUseLog {
    /// Records `u` with whatever other uses are waiting; true once it is committed, false when
    /// the write failed (logged) or waited too long for its turn.
    pub async fn record(&self, db: &DatabaseConnection, gate: &WriteGate, u: TokenUse) -> bool {
        let tx = self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::channel(4 * BATCH);
            tokio::spawn(write_uses(db.clone(), gate.clone(), rx));
            tx
        });
        let (done, committed) = oneshot::channel();
        if tx.send((u, done)).await.is_err() {
            return false;
        }
        committed.await.unwrap_or(false)
    }
}

/// Takes what is waiting (up to [`BATCH`]), writes it in one transaction in the write turn, and
/// tells each request the outcome; then the next lot, gathered meanwhile.
async fn write_uses(db: DatabaseConnection, gate: WriteGate, mut rx: mpsc::Receiver<Waiting>) {
    let mut lot: Vec<Waiting> = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut lot, BATCH).await > 0 {
        let uses: Vec<TokenUse> = lot.iter().map(|(u, _)| u.clone()).collect();
        let ok = match gate.turn(&db).await {
            Ok(_turn) => match service_accounts::record_uses(&db, &uses).await {
                Ok(()) => true,
                Err(e) => {
                    tracing::error!(error = %e, uses = uses.len(), "recording API token uses failed");
                    false
                }
            },
            Err(_) => false,
        };
        for (_, done) in lot.drain(..) {
            let _ = done.send(ok);
        }
    }
}
