// The inference class and its weights resource were generated once, and the jar holds both.
import java.util.zip.ZipFile

def java = new File(basedir, 'target/generated-sources/nn/com/acme/Xor.java')
assert java.isFile()
assert java.text.contains('Inference-only class')
assert !java.text.contains('dev.nnc.runtime')

def jar = new ZipFile(new File(basedir, 'target/inference-build-1.0.jar'))
assert jar.getEntry('com/acme/Xor.class') != null
assert jar.getEntry('com/acme/Xor.npz') != null
jar.close()

def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] nnc: 2 generated, 0 up to date')
assert log.contains('[INFO] nnc: 0 generated, 2 up to date')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
return true
