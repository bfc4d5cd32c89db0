fn main() {
    let _ = provision_macros::quota!(-1 GB);
}
