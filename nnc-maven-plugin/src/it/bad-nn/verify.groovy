// The build failed on Bad.nn, and the log shows the diagnostic as `nnc generate` prints it:
// file:line:col, the source line, the caret; then the count.
def log = new File(basedir, 'build.log').text
def file = new File(basedir, 'src/main/nn/com/acme/Bad.nn').absolutePath
def expected = """[ERROR] ${file}:3:24: error: unknown activation 'tahn'; expected one of identity, sigmoid, relu, tanh, softmax [NN212]
    dense   hidden[4]  tahn
                       ^~~~
"""
assert log.contains(expected) : "no positioned diagnostic in build.log:\n" + log
assert log.contains('nnc: 1 error in 1 of the .nn files under')
assert !new File(basedir, 'target/generated-sources/nn/com/acme/Bad.java').exists()
return true
