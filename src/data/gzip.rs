//! gzip (RFC 1952) on top of miniz_oxide's allocation-free inflater. miniz_oxide is already
//! compiled for burn (without features); flate2 would enable features on it and force a
//! rebuild of burn's whole dependency tree for no gain here.

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress};
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum GzipError {
    #[error("the gzip header is cut short")]
    TruncatedHeader,
    #[error("the gzip data is cut short or damaged (the download may be incomplete)")]
    Damaged,
    #[error("the gzip checksum does not match: the file is damaged")]
    Checksum,
}

pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}

/// Decompresses one gzip member.
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, GzipError> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    if bytes.len() < 18 || !is_gzip(bytes) || bytes[2] != 8 {
        return Err(GzipError::TruncatedHeader);
    }
    let flags = bytes[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = u16::from_le_bytes([
            bytes[at],
            *bytes.get(at + 1).ok_or(GzipError::TruncatedHeader)?,
        ]) as usize;
        at += 2 + len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = bytes
                .get(at..)
                .and_then(|b| b.iter().position(|&c| c == 0))
                .ok_or(GzipError::TruncatedHeader)?;
            at += end + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let trailer = bytes
        .len()
        .checked_sub(8)
        .filter(|&t| t >= at)
        .ok_or(GzipError::TruncatedHeader)?;
    let crc = u32::from_le_bytes(bytes[trailer..trailer + 4].try_into().expect("4 bytes"));
    // ISIZE is the length mod 2³²; files here are far smaller than 4 GiB.
    let size = u32::from_le_bytes(bytes[trailer + 4..].try_into().expect("4 bytes")) as usize;
    // Deflate cannot expand more than 1032:1; a larger claim means a cut or damaged file, and
    // believing it would try to allocate gigabytes.
    if size > 1032 * (trailer - at) + 1024 {
        return Err(GzipError::Damaged);
    }
    let mut out = vec![0u8; size];
    let mut state = DecompressorOxide::new();
    let (status, _, written) = decompress(
        &mut state,
        &bytes[at..trailer],
        &mut out,
        0,
        TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
    );
    if status != TINFLStatus::Done || written != size {
        return Err(GzipError::Damaged);
    }
    if crc32(&out) != crc {
        return Err(GzipError::Checksum);
    }
    Ok(out)
}

/// CRC-32 (IEEE 802.3, reflected), bit by bit: a few hundred MB/s, plenty for a one-off load.
fn crc32(data: &[u8]) -> u32 {
    let table: [u32; 256] = std::array::from_fn(|n| {
        (0..8).fold(n as u32, |c, _| {
            if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            }
        })
    });
    !data.iter().fold(!0u32, |c, &b| {
        table[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // `printf 'hello deepclust\n' | gzip -n` (no name, no timestamp).
    const HELLO: [u8; 36] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9,
        0x57, 0x48, 0x49, 0x4d, 0x2d, 0x48, 0xce, 0x29, 0x2d, 0x2e, 0xe1, 0x02, 0x00, 0x1c, 0x89,
        0x82, 0xf0, 0x10, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn known_member_inflates_and_damage_is_caught() {
        assert_eq!(gunzip(&HELLO).unwrap(), b"hello deepclust\n");
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the standard check value");
        let mut bad = HELLO;
        bad[30] ^= 1; // CRC byte
        assert_eq!(gunzip(&bad), Err(GzipError::Checksum));
        assert_eq!(gunzip(&HELLO[..20]), Err(GzipError::Damaged));
        assert_eq!(gunzip(&HELLO[..8]), Err(GzipError::TruncatedHeader));
        // A cut file whose last 4 bytes claim an absurd size is refused, not allocated.
        let mut huge = HELLO;
        huge[32..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(gunzip(&huge), Err(GzipError::Damaged));
    }
}
