// The project's test trained com.acme.Wine through Wine.recipe().model().fit(), printed one line
// per epoch, evaluated the test set before and after, and saved target/Wine.npz.
def java = new File(basedir, 'target/generated-sources/nn/com/acme/Wine.java')
assert java.isFile()
assert java.text.contains('public static Recipe<Wine> recipe()')
assert new File(basedir, 'target/Wine.npz').isFile()

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
assert log =~ /epoch 1: loss [0-9.]+, val_loss [0-9.]+, train_accuracy [0-9.]+, val_accuracy [0-9.]+/
assert log =~ /test loss [0-9.]+ -> [0-9.]+, accuracy [0-9.]+% -> [0-9.]+% after \d+ epochs \(early stopping/
return true
