// With -Dnn.skip=true nothing is generated and the build still passes.
assert !new File(basedir, 'target/generated-sources/nn').exists()
assert !new File(basedir, 'target/classes/com/acme/Xor.class').exists()
assert new File(basedir, 'build.log').text.contains('[INFO] nnc: skipped (nn.skip)')
return true
