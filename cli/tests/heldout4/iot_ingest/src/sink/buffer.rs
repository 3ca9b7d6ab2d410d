use crossbeam_queue::ArrayQueue;

use crate::Reading;

pub struct Ring {
    q: ArrayQueue<Reading>,
}

impl Ring {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            q: ArrayQueue::new(n),
        }
    }

    pub fn push(&self, r: Reading) {
        let _ = self.q.force_push(r);
    }

    pub fn take(&self, max: usize) -> Vec<Reading> {
        std::iter::from_fn(|| self.q.pop()).take(max).collect()
    }

    pub fn len(&self) -> usize {
        self.q.len()
    }
}
