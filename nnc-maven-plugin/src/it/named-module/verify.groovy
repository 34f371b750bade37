// Both classes were generated and compiled in the named module, and its tests ran there.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/classes/module-info.class').isFile()
assert new File(basedir, 'target/classes/com/acme/train/Xor.class').isFile()
assert new File(basedir, 'target/classes/com/acme/infer/Xor.class').isFile()
assert new File(basedir, 'target/classes/com/acme/infer/Xor.npz').isFile()
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
return true
