fn main() {
    let _ = provision_macros::quota!(16384 PB);
}
