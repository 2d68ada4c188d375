//! A small writer of binary hives for hostile-input tests: cells are
//! appended to one hive bin and linked by hand, so that a test can build
//! what no sane writer would (a key listed twice, big data pointing every
//! segment at one cell).
#![allow(dead_code)]

/// Hive bins data being built; offsets are relative to its start.
pub struct HiveBuilder {
    data: Vec<u8>,
}

const NK_LEN: usize = 0x4C;

impl Default for HiveBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl HiveBuilder {
    pub fn new() -> Self {
        Self {
            data: vec![0; 32], // the hbin header, written by `finish`
        }
    }

    /// Appends an allocated cell holding `payload`; returns its offset.
    pub fn cell(&mut self, payload: &[u8]) -> u32 {
        let off = self.data.len() as u32;
        let size = (payload.len() + 4).div_ceil(8) * 8;
        self.data.extend_from_slice(&(-(size as i32)).to_le_bytes());
        self.data.extend_from_slice(payload);
        self.data.resize(off as usize + size, 0);
        off
    }

    /// Overwrites bytes of a cell's payload.
    pub fn patch(&mut self, cell: u32, at: usize, bytes: &[u8]) {
        let start = cell as usize + 4 + at;
        self.data[start..start + bytes.len()].copy_from_slice(bytes);
    }

    /// A key node named `name` (ASCII), without subkeys or values yet.
    pub fn key(&mut self, name: &str, root: bool) -> u32 {
        let mut nk = vec![0u8; NK_LEN];
        nk[..2].copy_from_slice(b"nk");
        let flags: u16 = 0x0020 | if root { 0x0004 } else { 0 };
        nk[2..4].copy_from_slice(&flags.to_le_bytes());
        for at in [0x1C, 0x20, 0x28, 0x2C, 0x30] {
            nk[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        nk[0x48..0x4A].copy_from_slice(&(name.len() as u16).to_le_bytes());
        nk.extend_from_slice(name.as_bytes());
        self.cell(&nk)
    }

    /// Gives `parent` the subkey list `children` (an `lf` list, in that order).
    pub fn subkeys(&mut self, parent: u32, children: &[(u32, &str)]) {
        let mut lf = b"lf".to_vec();
        lf.extend_from_slice(&(children.len() as u16).to_le_bytes());
        for (off, name) in children {
            lf.extend_from_slice(&off.to_le_bytes());
            let mut hint = [0u8; 4];
            for (h, b) in hint.iter_mut().zip(name.bytes()) {
                *h = b;
            }
            lf.extend_from_slice(&hint);
        }
        let list = self.cell(&lf);
        self.patch(parent, 0x14, &(children.len() as u32).to_le_bytes());
        self.patch(parent, 0x1C, &list.to_le_bytes());
    }

    /// A value cell (`vk`) named `name` whose data is `size` bytes at `data`.
    pub fn value(&mut self, name: &str, ty: u32, size: u32, data: u32) -> u32 {
        let mut vk = b"vk".to_vec();
        vk.extend_from_slice(&(name.len() as u16).to_le_bytes());
        vk.extend_from_slice(&size.to_le_bytes());
        vk.extend_from_slice(&data.to_le_bytes());
        vk.extend_from_slice(&ty.to_le_bytes());
        vk.extend_from_slice(&1u16.to_le_bytes()); // ASCII name
        vk.extend_from_slice(&0u16.to_le_bytes());
        vk.extend_from_slice(name.as_bytes());
        self.cell(&vk)
    }

    /// Gives `key` the value list `values`.
    pub fn values(&mut self, key: u32, values: &[u32]) {
        let list: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let list = self.cell(&list);
        self.patch(key, 0x24, &(values.len() as u32).to_le_bytes());
        self.patch(key, 0x28, &list.to_le_bytes());
    }

    /// The hive file: a version 1.5 base block and the bins, padded to 4096.
    pub fn finish(mut self, root: u32) -> Vec<u8> {
        let total = self.data.len().div_ceil(4096) * 4096;
        // The rest of the bin is one free cell.
        let free = total - self.data.len();
        if free > 0 {
            let at = self.data.len();
            self.data.resize(total, 0);
            self.data[at..at + 4].copy_from_slice(&(free as i32).to_le_bytes());
        }
        self.data[..4].copy_from_slice(b"hbin");
        self.data[8..12].copy_from_slice(&(total as u32).to_le_bytes());
        let mut file = base_block(root, total as u32);
        file.extend_from_slice(&self.data);
        file
    }
}

/// A clean base block for a hive of `bins` bytes whose root cell is `root`.
pub fn base_block(root: u32, bins: u32) -> Vec<u8> {
    let mut b = vec![0u8; 4096];
    b[..4].copy_from_slice(b"regf");
    let put = |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put(&mut b, 4, 1);
    put(&mut b, 8, 1);
    put(&mut b, 20, 1);
    put(&mut b, 24, 5);
    put(&mut b, 32, 1);
    put(&mut b, 36, root);
    put(&mut b, 40, bins);
    put(&mut b, 44, 1);
    let sum = b[..508]
        .chunks_exact(4)
        .fold(0u32, |c, w| c ^ u32::from_le_bytes(w.try_into().unwrap()));
    put(&mut b, 508, sum);
    b
}
