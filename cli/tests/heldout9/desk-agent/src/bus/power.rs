use zbus::blocking::{Connection, Proxy};

/// Talks to systemd-logind on the system bus.
pub struct PowerManager {
    conn: Connection,
}

impl PowerManager {
    pub fn system() -> zbus::Result<Self> {
        Ok(Self { conn: Connection::system()? })
    }

    fn logind(&self) -> zbus::Result<Proxy<'_>> {
        Proxy::new(&self.conn, "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")
    }

    pub fn can_suspend(&self) -> zbus::Result<String> {
        self.logind()?.call("CanSuspend", &())
    }

    pub fn suspend(&self) -> zbus::Result<()> {
        self.logind()?.call("Suspend", &(true,))
    }

    pub fn inhibit_lock(&self, why: &str) -> zbus::Result<zbus::zvariant::OwnedFd> {
        self.logind()?.call("Inhibit", &("sleep", "desk-agent", why, "delay"))
    }
}
