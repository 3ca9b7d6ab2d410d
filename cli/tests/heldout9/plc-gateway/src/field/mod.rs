//! Field-bus side: Modbus TCP/RTU masters and the raw serial link.

use std::net::SocketAddr;

use tokio_modbus::client::{tcp, Context};
use tokio_modbus::prelude::*;

use crate::config::RegisterBlock;

mod modbus_sync;
pub mod serial;

pub use modbus_sync::SyncPlc;
pub use serial::SerialLink;

pub type Sample = (String, Vec<u16>);

/// Non-blocking Modbus master used by the default poll loop.
pub struct AsyncPlc {
    ctx: Context,
}

impl AsyncPlc {
    pub async fn connect(addr: SocketAddr, slave: u8) -> anyhow::Result<Self> {
        let ctx = tcp::connect_slave(addr, Slave(slave)).await?;
        Ok(Self { ctx })
    }

    pub async fn read_block(&mut self, block: &RegisterBlock) -> anyhow::Result<Sample> {
        let words = self.ctx.read_holding_registers(block.start, block.count).await??;
        Ok((block.name.clone(), words))
    }

    pub async fn write_setpoint(&mut self, reg: u16, value: u16) -> anyhow::Result<()> {
        self.ctx.write_single_register(reg, value).await??;
        Ok(())
    }
}
