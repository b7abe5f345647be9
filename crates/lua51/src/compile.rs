//! From syntax tree to the VM's code.
pub struct Proto {}
