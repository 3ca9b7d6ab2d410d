pub struct ZmqFeed {
    _ctx: zmq::Context,
    socket: zmq::Socket,
}

impl ZmqFeed {
    pub fn subscribe(endpoint: &str, topic: &[u8]) -> zmq::Result<Self> {
        let ctx = zmq::Context::new();
        let socket = ctx.socket(zmq::SUB)?;
        socket.connect(endpoint)?;
        socket.set_subscribe(topic)?;
        Ok(Self { _ctx: ctx, socket })
    }

    pub fn next_frame(&self) -> zmq::Result<Vec<u8>> {
        self.socket.recv_bytes(0)
    }

    pub fn poll_frame(&self) -> zmq::Result<Option<Vec<u8>>> {
        match self.socket.recv_bytes(zmq::DONTWAIT) {
            Ok(b) => Ok(Some(b)),
            Err(zmq::Error::EAGAIN) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn socket(&self) -> &zmq::Socket {
        &self.socket
    }
}
