use std::net::SocketAddr;
use std::time::Duration;

use tokio_modbus::client::sync::{self, Reader, Writer};
use tokio_modbus::Slave;

use crate::config::RegisterBlock;
use super::Sample;

/// Blocking Modbus master, kept for the legacy "sync" poll mode.
pub struct SyncPlc {
    ctx: sync::Context,
    pub addr: SocketAddr,
}

impl SyncPlc {
    pub fn connect(addr: SocketAddr, slave: u8) -> anyhow::Result<Self> {
        let ctx = sync::tcp::connect_slave_with_timeout(addr, Slave(slave), Some(Duration::from_secs(3)))?;
        Ok(Self { ctx, addr })
    }

    pub fn connect_rtu(device: &str, baud: u32, slave: u8) -> anyhow::Result<Self> {
        let builder = tokio_serial::new(device, baud);
        let ctx = sync::rtu::connect_slave(&builder, Slave(slave))?;
        Ok(Self { ctx, addr: "0.0.0.0:0".parse()? })
    }

    pub fn read_block(&mut self, block: &RegisterBlock) -> anyhow::Result<Sample> {
        let words = self.ctx.read_holding_registers(block.start, block.count)??;
        Ok((block.name.clone(), words))
    }

    pub fn write_setpoint(&mut self, reg: u16, value: u16) -> anyhow::Result<()> {
        self.ctx.write_single_register(reg, value)??;
        Ok(())
    }

    pub fn context_mut(&mut self) -> &mut sync::Context {
        &mut self.ctx
    }
}
