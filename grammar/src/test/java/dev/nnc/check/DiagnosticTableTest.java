package dev.nnc.check;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticCode;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input → the exact text a user reads (message, source line, caret), at least one row per
 * diagnostic code. NN001 and NN002 concern files rather than text and are tested in {@link
 * NnCompilerFileTest}; NN900 must never happen.
 */
class DiagnosticTableTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "NN003",
            "no network block",
            """
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
            }
            """,
            """
            model.nn:1:1: error: the file has no network block [NN003]
            train {
            ^~~~~\
            """),
        row(
            "NN101",
            "unexpected character",
            """
            network N {
              input x[2] # dense h[3]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:14: error: unexpected character '#' [NN101]
              input x[2] # dense h[3]
                         ^\
            """),
        row(
            "NN102",
            "missing bracket",
            """
            network N {
                input   x[30]
                dense   h[25]
                dense   out[10  sigmoid
            }
            """,
            """
            model.nn:4:21: error: expected ']' but found 'sigmoid' [NN102]
                dense   out[10  sigmoid
                                ^~~~~~~\
            """),
        row(
            "NN102",
            "bare standardize",
            """
            network N {
              input x[2] standardize
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:2:14: error: standardize takes its ddof in parentheses: write standardize(ddof = 0) (population std, as scikit-learn's StandardScaler) or standardize(ddof = 1) (unbiased) [NN102]
              input x[2] standardize
                         ^~~~~~~~~~~\
            """),
        row(
            "NN102",
            "target without width",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:4:10: error: target 't' needs its width: write target t[N] for N target columns, or label t for one column of class labels [NN102]
              target t
                     ^\
            """),
        row(
            "NN102",
            "unnamed optimizer argument",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer adam(0.01)
              epochs 3
            }
            """,
            """
            model.nn:8:18: error: optimizer arguments are named: write adam(lr = 0.01) [NN102]
              optimizer adam(0.01)
                             ^~~~\
            """),
        row(
            "NN102",
            "header = true",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer adam(lr = 0.01)
              epochs 3
              data csv("f.csv", header = true)
            }
            """,
            """
            model.nn:10:30: error: header is a flag, not a setting: write csv("file.csv", header) when the first line names the columns, and leave it out when it does not [NN102]
              data csv("f.csv", header = true)
                                         ^~~~\
            """),
        row(
            "NN102",
            "missing closing brace",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            """,
            """
            model.nn:6:29: error: expected a statement or '}' but found end of file [NN102]
              loss squared_error(out, t)
                                        ^\
            """),
        row(
            "NN102",
            "missing loss argument",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out)
            }
            """,
            """
            model.nn:6:25: error: expected ',' but found ')' [NN102]
              loss squared_error(out)
                                    ^\
            """),
        row(
            "NN102",
            "stray token after block",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            }
            """,
            """
            model.nn:8:1: error: expected 'network', 'train' or end of file but found '}' [NN102]
            }
            ^\
            """),
        row(
            "NN103",
            "bad number two dots",
            """
            network N {
              input x[2]
              dense h[3] relu init constant(1.2.3)
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:33: error: bad number '1.2.3' [NN103]
              dense h[3] relu init constant(1.2.3)
                                            ^~~~~\
            """),
        row(
            "NN103",
            "bad number exponent",
            """
            network N {
              input x[2]
              dense h[3] relu init normal(0, 1e)
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:34: error: bad number '1e' [NN103]
              dense h[3] relu init normal(0, 1e)
                                             ^~\
            """),
        row(
            "NN104",
            "number out of range",
            """
            network N {
              input x[2]
              dense h[3] relu init constant(1e999)
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:33: error: number '1e999' is out of range [NN104]
              dense h[3] relu init constant(1e999)
                                            ^~~~~\
            """),
        row(
            "NN201",
            "unknown statement",
            """
            network N {
              input x[2]
              dense h[3] relu
              pool c[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:4:3: error: unknown statement 'pool'; expected one of precision, input, conv, maxpool, avgpool, flatten, dense, target, label, loss, penalty [NN201]
              pool c[3] relu
              ^~~~\
            """),
        row(
            "NN201",
            "unknown train statement",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              momentum 0.9
            }
            """,
            """
            model.nn:12:3: error: unknown statement 'momentum'; expected one of optimizer, batch, epochs, steps, seed, data, validate [NN201]
              momentum 0.9
              ^~~~~~~~\
            """),
        row(
            "NN202",
            "misplaced statement",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
              optimizer sgd(lr = 0.1)
            }
            """,
            """
            model.nn:7:3: error: 'optimizer' belongs in the train block [NN202]
              optimizer sgd(lr = 0.1)
              ^~~~~~~~~\
            """),
        row(
            "NN203",
            "init rows mismatch",
            """
            network N {
                input   x[30]
                dense   h[25]
                dense   out[10]  sigmoid
                        init [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
                target  t[10]
                loss    squared_error(out, t)
            }
            """,
            """
            model.nn:5:18: error: dense 'out' expects 25 inputs, got 1 [NN203]
                        init [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
                             ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\
            """),
        row(
            "NN203",
            "init row width mismatch",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid init [[1], [2], [3, 4]]
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:4:40: error: row 3 of the weight init of dense 'out' has 2 values, but 'out' is 1 wide [NN203]
              dense out[1] sigmoid init [[1], [2], [3, 4]]
                                                   ^~~~~~\
            """),
        row(
            "NN203",
            "bias init count",
            """
            network N {
              input x[2]
              dense h[3] relu bias init [0.1, 0.2]
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:29: error: the bias init of dense 'h' needs 3 values, one per output, got 2 [NN203]
              dense h[3] relu bias init [0.1, 0.2]
                                        ^~~~~~~~~~\
            """),
        row(
            "NN204",
            "second network",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            network M {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:8:1: error: a file holds one network block; this is the second [NN204]
            network M {
            ^~~~~~~\
            """),
        row(
            "NN205",
            "non-ascii name",
            """
            network N {
              input x[2]
              dense hé[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: name 'hé' may contain only ASCII letters, digits and '_' [NN205]
              dense hé[3] relu
                    ^~\
            """),
        row(
            "NN205",
            "underscore name",
            """
            network N {
              input _x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:9: error: name '_x' must start with a letter [NN205]
              input _x[2]
                    ^~\
            """),
        row(
            "NN206",
            "java keyword name",
            """
            network N {
              input x[2]
              dense class[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: name 'class' is reserved in Java; choose another [NN206]
              dense class[3] relu
                    ^~~~~\
            """),
        row(
            "NN206",
            "reserved network name",
            """
            network record {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:1:9: error: name 'record' is reserved in Java; choose another [NN206]
            network record {
                    ^~~~~~\
            """),
        row(
            "NN207",
            "name too long",
            """
            network N {
              input x[2]
              dense hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: name 'hhhhhhhhhhhhhhhhhhhh…' is 70 characters long; the limit is 64 [NN207]
              dense hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh[3] relu
                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\
            """),
        row(
            "NN208",
            "duplicate layer",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense h[2] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:4:9: error: name 'h' is already used by the dense layer on line 3 [NN208]
              dense h[2] relu
                    ^\
            """),
        row(
            "NN208",
            "layer named like input",
            """
            network N {
              input x[2]
              dense x[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: name 'x' is already used by the input on line 2 [NN208]
              dense x[3] relu
                    ^\
            """),
        row(
            "NN208",
            "target named like layer",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target h[1]
              loss squared_error(out, h)
            }
            """,
            """
            model.nn:5:10: error: name 'h' is already used by the dense layer on line 3 [NN208]
              target h[1]
                     ^\
            """),
        row(
            "NN209",
            "duplicate dimension",
            """
            network N {
              input x[D = 2]
              dense h[D = 3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:11: error: dimension 'D' is already defined on line 2 [NN209]
              dense h[D = 3] relu
                      ^\
            """),
        row(
            "NN210",
            "unknown dimension",
            """
            network N {
              input x[2]
              dense h[H] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:11: error: unknown dimension 'H' [NN210]
              dense h[H] relu
                      ^\
            """),
        row(
            "NN211",
            "zero size",
            """
            network N {
              input x[2]
              dense h[0] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:11: error: the size of 'h' must be a positive integer, got 0 [NN211]
              dense h[0] relu
                      ^\
            """),
        row(
            "NN211",
            "negative size",
            """
            network N {
              input x[-2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:11: error: the size of 'x' must be a positive integer, got -2 [NN211]
              input x[-2]
                      ^~\
            """),
        row(
            "NN212",
            "unknown activation",
            """
            network N {
              input x[2]
              dense h[3] rectifier
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:14: error: unknown activation 'rectifier'; expected one of identity, sigmoid, relu, tanh, softmax [NN212]
              dense h[3] rectifier
                         ^~~~~~~~~\
            """),
        row(
            "NN213",
            "unknown init",
            """
            network N {
              input x[2]
              dense h[3] relu init gaussian(0, 1)
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:24: error: unknown init 'gaussian'; expected one of uniform, normal, constant, xavier, he [NN213]
              dense h[3] relu init gaussian(0, 1)
                                   ^~~~~~~~\
            """),
        row(
            "NN214",
            "init argument count",
            """
            network N {
              input x[2]
              dense h[3] relu init normal(1)
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:24: error: init normal takes 2 arguments (mean, std), got 1 [NN214]
              dense h[3] relu init normal(1)
                                   ^~~~~~~~~\
            """),
        row(
            "NN215",
            "missing input",
            """
            network N {
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:1:9: error: network 'N' has no input statement [NN215]
            network N {
                    ^\
            """),
        row(
            "NN216",
            "second input",
            """
            network N {
              input x[2]
              input z[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: a network has exactly one input; 'z' is the second [NN216]
              input z[2]
                    ^\
            """),
        row(
            "NN217",
            "input not first",
            """
            network N {
              dense h[3] relu
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: the input must come before the layers; 'x' comes after dense 'h' [NN217]
              input x[2]
                    ^\
            """),
        row(
            "NN218",
            "no dense layer",
            """
            network N {
              input x[1]
              target t[1]
              loss squared_error(x, t)
            }
            """,
            """
            model.nn:1:9: error: network 'N' has no dense layer [NN218]
            network N {
                    ^\
            """),
        row(
            "NN219",
            "missing loss",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
            }
            """,
            """
            model.nn:1:9: error: network 'N' has no loss statement [NN219]
            network N {
                    ^\
            """),
        row(
            "NN220",
            "second loss",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:7:3: error: a network has exactly one loss; this is the second [NN220]
              loss squared_error(out, t)
              ^~~~\
            """),
        row(
            "NN221",
            "unknown loss",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss hinge(out, t)
            }
            """,
            """
            model.nn:6:8: error: unknown loss 'hinge'; expected one of squared_error, softmax_cross_entropy, binary_cross_entropy [NN221]
              loss hinge(out, t)
                   ^~~~~\
            """),
        row(
            "NN222",
            "unknown reduction",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t) reduce average
            }
            """,
            """
            model.nn:6:37: error: unknown reduction 'average'; expected one of sum, half_sum, mean, batch_mean, half_batch_mean [NN222]
              loss squared_error(out, t) reduce average
                                                ^~~~~~~\
            """),
        row(
            "NN223",
            "loss not on last layer",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(h, t)
            }
            """,
            """
            model.nn:6:22: error: the loss must read the last layer 'out', not 'h' [NN223]
              loss squared_error(h, t)
                                 ^\
            """),
        row(
            "NN224",
            "loss output unknown",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(outt, t)
            }
            """,
            """
            model.nn:6:22: error: the loss reads 'outt', which is not a layer [NN224]
              loss squared_error(outt, t)
                                 ^~~~\
            """),
        row(
            "NN225",
            "loss target unknown",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, y)
            }
            """,
            """
            model.nn:6:27: error: the loss compares with 'y', which is not a declared target or label [NN225]
              loss squared_error(out, y)
                                      ^\
            """),
        row(
            "NN226",
            "label without onehot",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              label y
              loss squared_error(out, y)
            }
            """,
            """
            model.nn:6:27: error: squared_error compares with rows of numbers, and 'y' is a label; write onehot(y) [NN226]
              loss squared_error(out, y)
                                      ^\
            """),
        row(
            "NN226",
            "onehot of dense target",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, onehot(t))
            }
            """,
            """
            model.nn:6:27: error: onehot needs a label, but 't' is a dense target; write 't' [NN226]
              loss squared_error(out, onehot(t))
                                      ^~~~~~~~~\
            """),
        row(
            "NN227",
            "target width mismatch",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[2]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:6:27: error: target 't' is 2 wide, but the output 'out' is 1 wide [NN227]
              loss squared_error(out, t)
                                      ^\
            """),
        row(
            "NN228",
            "softmax ce with activation",
            """
            network N {
              input x[4]
              dense out[10]  sigmoid
              label y
              loss softmax_cross_entropy(out, y)
            }
            """,
            """
            model.nn:3:18: error: softmax_cross_entropy needs the raw scores of 'out', but 'out' applies sigmoid; remove the activation (nnc predict and the generated class give softmax probabilities) [NN228]
              dense out[10]  sigmoid
                             ^~~~~~~\
            """),
        row(
            "NN229",
            "binary ce without sigmoid",
            """
            network N {
              input x[4]
              dense out[3] relu
              target t[3]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:3:16: error: binary_cross_entropy needs probabilities, but 'out' applies relu; use sigmoid [NN229]
              dense out[3] relu
                           ^~~~\
            """),
        row(
            "NN230",
            "second target",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              label y
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:6:3: error: a network has one target or label; 'y' is the second [NN230]
              label y
              ^~~~~\
            """),
        row(
            "NN231",
            "unknown precision",
            """
            network N {
              precision half
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:13: error: unknown precision 'half'; expected float or double [NN231]
              precision half
                        ^~~~\
            """),
        row(
            "NN232",
            "repeated init",
            """
            network N {
              input x[2]
              dense h[3] relu init he() init xavier()
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:29: error: 'init' is given twice for dense 'h' [NN232]
              dense h[3] relu init he() init xavier()
                                        ^~~~\
            """),
        row(
            "NN233",
            "bias init without bias",
            """
            network N {
              input x[2]
              dense h[3] relu nobias bias init constant(1)
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:26: error: dense 'h' has nobias, so it cannot take a bias init [NN233]
              dense h[3] relu nobias bias init constant(1)
                                     ^~~~~~~~~\
            """),
        row(
            "NN234",
            "bad power",
            """
            network N {
              input x[2] powers(1, 0)
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:24: error: powers must be positive integers, got 0 [NN234]
              input x[2] powers(1, 0)
                                   ^\
            """),
        row(
            "NN235",
            "bad ddof",
            """
            network N {
              input x[2] standardize(ddof = 2)
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:2:33: error: standardize needs ddof = 0 (population std) or ddof = 1 (unbiased), got 2 [NN235]
              input x[2] standardize(ddof = 2)
                                            ^\
            """),
        row(
            "NN236",
            "unknown penalty",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
              penalty lasso(0.1)
            }
            """,
            """
            model.nn:7:11: error: unknown penalty 'lasso'; expected l1 or l2 [NN236]
              penalty lasso(0.1)
                      ^~~~~\
            """),
        row(
            "NN237",
            "powers on target",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1] powers(1, 2)
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:5:15: error: powers applies to the input only, not to target 't' [NN237]
              target t[1] powers(1, 2)
                          ^~~~~~\
            """),
        row(
            "NN240",
            "repeated statement",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              epochs 20
            }
            """,
            """
            model.nn:12:3: error: 'epochs' is given twice [NN240]
              epochs 20
              ^~~~~~\
            """),
        row(
            "NN250",
            "unused dimension",
            """
            network N {
              input x[2]
              dense h[H = 3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:11: warning: dimension 'H' is never used [NN250]
              dense h[H = 3] relu
                      ^\
            """),
        row(
            "NN301",
            "missing optimizer",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              batch full
              epochs 10
            }
            """,
            """
            model.nn:8:1: error: the train block has no optimizer [NN301]
            train {
            ^~~~~\
            """),
        row(
            "NN303",
            "zero learning rate",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0)
              epochs 10
            }
            """,
            """
            model.nn:9:22: error: the learning rate must be positive and finite, got 0 [NN303]
              optimizer sgd(lr = 0)
                                 ^\
            """),
        row(
            "NN303",
            "infinite learning rate",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 1e400)
              epochs 10
            }
            """,
            """
            model.nn:9:22: error: the learning rate must be positive and finite, got 1e400 [NN303]
              optimizer sgd(lr = 1e400)
                                 ^~~~~\
            """),
        row(
            "NN304",
            "zero batch",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch 0 shuffle
              epochs 10
            }
            """,
            """
            model.nn:10:9: error: the batch size must be a positive integer, got 0 [NN304]
              batch 0 shuffle
                    ^\
            """),
        row(
            "NN305",
            "epochs and steps",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              steps 100
            }
            """,
            """
            model.nn:11:3: error: give epochs or steps, not both [NN305]
              steps 100
              ^~~~~\
            """),
        row(
            "NN305",
            "neither epochs nor steps",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
            }
            """,
            """
            model.nn:8:1: error: the train block needs 'epochs N' or 'steps N' [NN305]
            train {
            ^~~~~\
            """),
        row(
            "NN306",
            "decay above one",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1, decay = 1.5 per epoch)
              epochs 10
            }
            """,
            """
            model.nn:9:35: error: decay must be in (0, 1], got 1.5 [NN306]
              optimizer sgd(lr = 0.1, decay = 1.5 per epoch)
                                              ^~~\
            """),
        row(
            "NN307",
            "decay without schedule",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1, decay = 0.9)
              epochs 10
            }
            """,
            """
            model.nn:9:27: error: write the decay schedule as 'decay = 0.9 per epoch' [NN307]
              optimizer sgd(lr = 0.1, decay = 0.9)
                                      ^~~~~~~~~~~\
            """),
        row(
            "NN308",
            "fractional epochs",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 2.5
            }
            """,
            """
            model.nn:10:10: error: epochs must be a positive integer, got 2.5 [NN308]
              epochs 2.5
                     ^~~\
            """),
        row(
            "NN310",
            "ragged rows",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0], [0, 1, 2]]  t = [[0], [1]] }
            }
            """,
            """
            model.nn:12:30: error: row 2 of 'x' has 3 values, but row 1 has 2 [NN310]
              data inline { x = [[0, 0], [0, 1, 2]]  t = [[0], [1]] }
                                         ^~~~~~~~~\
            """),
        row(
            "NN311",
            "data wrong width",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0, 0], [0, 1, 1]]  t = [[0], [1]] }
            }
            """,
            """
            model.nn:12:22: error: rows of 'x' must have 2 values, got 3 [NN311]
              data inline { x = [[0, 0, 0], [0, 1, 1]]  t = [[0], [1]] }
                                 ^~~~~~~~~\
            """),
        row(
            "NN312",
            "row counts differ",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0], [0, 1]]  t = [[0], [1], [1]] }
            }
            """,
            """
            model.nn:12:39: error: 't' has 3 rows, but 'x' has 2 [NN312]
              data inline { x = [[0, 0], [0, 1]]  t = [[0], [1], [1]] }
                                                  ^\
            """),
        row(
            "NN313",
            "label out of range",
            """
            network N {
              input x[2]
              dense out[3]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0], [0, 1]]  y = [0, 3] }
            }
            """,
            """
            model.nn:11:47: error: label 2 of 'y' is 3; labels are integers from 0 to 2 [NN313]
              data inline { x = [[0, 0], [0, 1]]  y = [0, 3] }
                                                          ^\
            """),
        row(
            "NN313",
            "label not integer",
            """
            network N {
              input x[2]
              dense out[3]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0], [0, 1]]  y = [0, 1.5] }
            }
            """,
            """
            model.nn:11:47: error: label 2 of 'y' is 1.5; labels are integers from 0 to 2 [NN313]
              data inline { x = [[0, 0], [0, 1]]  y = [0, 1.5] }
                                                          ^~~\
            """),
        row(
            "NN314",
            "data unknown name",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0]]  y = [[0]] }
            }
            """,
            """
            model.nn:12:31: error: data names 'y', which is neither the input nor the target [NN314]
              data inline { x = [[0, 0]]  y = [[0]] }
                                          ^\
            """),
        row(
            "NN315",
            "data missing target",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0]] }
            }
            """,
            """
            model.nn:12:3: error: data inline has no entry for the target 't' [NN315]
              data inline { x = [[0, 0]] }
              ^~~~\
            """),
        row(
            "NN316",
            "data repeated entry",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = [[0, 0]]  x = [[1, 1]]  t = [[0]] }
            }
            """,
            """
            model.nn:12:31: error: data inline gives 'x' twice [NN316]
              data inline { x = [[0, 0]]  x = [[1, 1]]  t = [[0]] }
                                          ^\
            """),
        row(
            "NN317",
            "data empty",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { x = []  t = [] }
            }
            """,
            """
            model.nn:12:21: error: data inline has no rows for 'x'; give at least one [NN317]
              data inline { x = []  t = [] }
                                ^~\
            """),
        row(
            "NN105",
            "unterminated string",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("digits.csv, header)
            }
            """,
            """
            model.nn:11:12: error: the string is not closed on its line; end it with '"' [NN105]
              data csv("digits.csv, header)
                       ^~~~~~~~~~~~~~~~~~~~\
            """),
        row(
            "NN106",
            "control character in a string",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("digits\t.csv")
            }
            """,
            """
            model.nn:11:19: error: a string may not hold the control character U+0009 [NN106]
              data csv("digits\t.csv")
                              ^\
            """),
        row(
            "NN106",
            "unknown escape in a string",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("C:\\data\\train.csv")
            }
            """,
            """
            model.nn:11:15: error: unknown escape '\\d' in a string; write \\\\ for a backslash [NN106]
              data csv("C:\\data\\train.csv")
                          ^~\
            """),
        row(
            "NN302",
            "unknown optimizer",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer rmsprop(lr = 0.1)
              epochs 10
            }
            """,
            """
            model.nn:9:13: error: unknown optimizer 'rmsprop'; expected one of sgd, adam, cg, lbfgs [NN302]
              optimizer rmsprop(lr = 0.1)
                        ^~~~~~~\
            """),
        row(
            "NN307",
            "adam with momentum",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer adam(lr = 0.1, momentum = 0.9)
              epochs 10
            }
            """,
            """
            model.nn:9:28: error: adam has no argument 'momentum'; it takes lr, beta1, beta2, epsilon and decay [NN307]
              optimizer adam(lr = 0.1, momentum = 0.9)
                                       ^~~~~~~~\
            """),
        row(
            "NN307",
            "sgd with a beta",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1, beta1 = 0.9)
              epochs 10
            }
            """,
            """
            model.nn:9:27: error: sgd has no argument 'beta1'; it takes lr, decay and momentum [NN307]
              optimizer sgd(lr = 0.1, beta1 = 0.9)
                                      ^~~~~\
            """),
        row(
            "NN307",
            "cg without iterations",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer cg()
            }
            """,
            """
            model.nn:9:13: error: cg needs a number of iterations: cg(iterations = 50) [NN307]
              optimizer cg()
                        ^~\
            """),
        row(
            "NN307",
            "cg with a learning rate",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer cg(lr = 0.1, iterations = 50)
            }
            """,
            """
            model.nn:9:16: error: cg has no argument 'lr'; it takes iterations [NN307]
              optimizer cg(lr = 0.1, iterations = 50)
                           ^~\
            """),
        row(
            "NN309",
            "momentum of 1",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1, momentum = 1)
              epochs 10
            }
            """,
            """
            model.nn:9:38: error: momentum must be in (0, 1), got 1 [NN309]
              optimizer sgd(lr = 0.1, momentum = 1)
                                                 ^\
            """),
        row(
            "NN309",
            "beta2 of 1",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer adam(lr = 1e-3, beta2 = 1)
              epochs 10
            }
            """,
            """
            model.nn:9:37: error: beta2 must be in [0, 1), got 1 [NN309]
              optimizer adam(lr = 1e-3, beta2 = 1)
                                                ^\
            """),
        row(
            "NN309",
            "zero epsilon",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer adam(lr = 1e-3, epsilon = 0)
              epochs 10
            }
            """,
            """
            model.nn:9:39: error: epsilon must be positive and finite, got 0 [NN309]
              optimizer adam(lr = 1e-3, epsilon = 0)
                                                  ^\
            """),
        row(
            "NN309",
            "zero iterations",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer cg(iterations = 0)
            }
            """,
            """
            model.nn:9:29: error: iterations must be a positive integer, got 0 [NN309]
              optimizer cg(iterations = 0)
                                        ^\
            """),
        row(
            "NN309",
            "fractional memory",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer lbfgs(iterations = 100, memory = 2.5)
            }
            """,
            """
            model.nn:9:46: error: memory must be a positive integer, got 2.5 [NN309]
              optimizer lbfgs(iterations = 100, memory = 2.5)
                                                         ^~~\
            """),
        row(
            "NN318",
            "cg with epochs",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer cg(iterations = 50)
              epochs 10
            }
            """,
            """
            model.nn:10:3: error: cg counts iterations, not epochs; remove 'epochs' [NN318]
              epochs 10
              ^~~~~~\
            """),
        row(
            "NN318",
            "lbfgs with a batch size",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer lbfgs(iterations = 50)
              batch 100 with replacement
            }
            """,
            """
            model.nn:10:3: error: lbfgs works on the full batch; remove 'batch' or write 'batch full' [NN318]
              batch 100 with replacement
              ^~~~~\
            """),
        row(
            "NN305",
            "adam without epochs or steps",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer adam(lr = 1e-3)
              batch 10 shuffle
            }
            """,
            """
            model.nn:8:1: error: the train block needs 'epochs N' or 'steps N' [NN305]
            train {
            ^~~~~\
            """),
        row(
            "NN319",
            "inline data and a data file",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data inline { x = [[0, 0, 0, 0]]  y = [1] }
              data idx("images.gz", "labels.gz")
            }
            """,
            """
            model.nn:12:3: error: data inline cannot be combined with a data file; keep one 'data' statement [NN319]
              data idx("images.gz", "labels.gz")
              ^~~~\
            """),
        row(
            "NN240",
            "two data files",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("a.csv")
              data csv("b.csv")
            }
            """,
            """
            model.nn:12:3: error: 'data' is given twice [NN240]
              data csv("b.csv")
              ^~~~\
            """),
        row(
            "NN240",
            "two validate statements",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("a.csv")
              validate csv("b.csv")
              validate csv("c.csv")
            }
            """,
            """
            model.nn:13:3: error: 'validate' is given twice [NN240]
              validate csv("c.csv")
              ^~~~~~~~\
            """),
        row(
            "NN320",
            "validate without data",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              validate idx("images.gz", "labels.gz")
            }
            """,
            """
            model.nn:11:3: error: validate measures a model trained on data; add a 'data' statement [NN320]
              validate idx("images.gz", "labels.gz")
              ^~~~~~~~\
            """),
        row(
            "NN321",
            "unknown data source",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data json("digits.json")
            }
            """,
            """
            model.nn:11:8: error: unknown data source 'json'; expected one of idx, npz, csv [NN321]
              data json("digits.json")
                   ^~~~\
            """),
        row(
            "NN322",
            "idx with one path",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data idx("images.gz")
            }
            """,
            """
            model.nn:11:8: error: idx takes two paths, images then labels: idx("IMAGES", "LABELS") [NN322]
              data idx("images.gz")
                   ^~~\
            """),
        row(
            "NN322",
            "npz without member names",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data npz("digits.npz", "X", "y")
            }
            """,
            """
            model.nn:11:26: error: npz takes a path and the members for 'x' and 'y': npz("FILE", x = "…", y = "…") [NN322]
              data npz("digits.npz", "X", "y")
                                     ^~~\
            """),
        row(
            "NN322",
            "csv with an unknown flag",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("digits.csv", headers)
            }
            """,
            """
            model.nn:11:26: error: csv takes a path and optionally header: csv("FILE") or csv("FILE", header) [NN322]
              data csv("digits.csv", headers)
                                     ^~~~~~~\
            """),
        row(
            "NN322",
            "scale on csv",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("digits.csv") scale 1/255
            }
            """,
            """
            model.nn:11:26: error: scale applies to idx pixels only; scale csv data before saving it [NN322]
              data csv("digits.csv") scale 1/255
                                     ^~~~~\
            """),
        row(
            "NN323",
            "npz member not the input or label",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data npz("digits.npz", x = "X", z = "y")
            }
            """,
            """
            model.nn:11:35: error: npz maps 'z', which is neither the input 'x' nor the label 'y' [NN323]
              data npz("digits.npz", x = "X", z = "y")
                                              ^\
            """),
        row(
            "NN323",
            "npz member twice",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data npz("digits.npz", x = "X", x = "y")
            }
            """,
            """
            model.nn:11:35: error: npz maps 'x' twice; map 'x' and 'y' once each [NN323]
              data npz("digits.npz", x = "X", x = "y")
                                              ^\
            """),
        row(
            "NN324",
            "idx with a dense target",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2] sigmoid
              target t[2]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data idx("images.gz", "labels.gz")
            }
            """,
            """
            model.nn:11:8: error: idx files hold integer class labels, but 't' is a dense target; declare it as 'label t' [NN324]
              data idx("images.gz", "labels.gz")
                   ^~~\
            """),
        row(
            "NN325",
            "idx input not a square",
            """
            network N {
              input x[10]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data idx("images.gz", "labels.gz")
            }
            """,
            """
            model.nn:11:8: warning: idx images are rows × columns pixels, but the input 'x' is 10 wide, not a square [NN325]
              data idx("images.gz", "labels.gz")
                   ^~~\
            """),
        row(
            "NN326",
            "empty path",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data idx("images.gz", "")
            }
            """,
            """
            model.nn:11:25: error: a path may not be empty [NN326]
              data idx("images.gz", "")
                                    ^~\
            """),
        row(
            "NN327",
            "infinite scale",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data idx("images.gz", "labels.gz") scale 1/0
            }
            """,
            """
            model.nn:11:44: error: scale must be positive and finite, got 1/0 [NN327]
              data idx("images.gz", "labels.gz") scale 1/0
                                                       ^~~\
            """),
        row(
            "NN327",
            "zero rows",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("digits.csv") rows 0
            }
            """,
            """
            model.nn:11:31: error: rows must be a positive integer, got 0 [NN327]
              data csv("digits.csv") rows 0
                                          ^\
            """),
        row(
            "NN240",
            "rows twice",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("digits.csv") rows 10 rows 20
            }
            """,
            """
            model.nn:11:34: error: 'rows' is given twice [NN240]
              data csv("digits.csv") rows 10 rows 20
                                             ^~~~\
            """),
        row(
            "NN326",
            "empty npz member",
            """
            network N {
              input x[4]
              dense h[3] relu
              dense out[2]
              label y
              loss softmax_cross_entropy(out, y)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data npz("d.npz", x = "", y = "y")
            }
            """,
            """
            model.nn:11:25: error: a member name may not be empty [NN326]
              data npz("d.npz", x = "", y = "y")
                                    ^~\
            """),
        row(
            "NN401",
            "dimension too large",
            """
            network N {
              input x[2]
              dense h[3000000000] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:11: error: the size of 'h' is 3000000000; the largest size is 2147483647 [NN401]
              dense h[3000000000] relu
                      ^~~~~~~~~~\
            """),
        row(
            "NN402",
            "tensor too large",
            """
            network N {
              input x[100000]
              dense h[100000] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:9: error: tensor 'h.W' would have 10000000000 elements; the limit is 2147483647 [NN402]
              dense h[100000] relu
                    ^\
            """),
        row(
            "NN403",
            "memory too large",
            """
            network N {
              input x[40000]
              dense h[50000] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:1:9: error: network 'N' needs 29.8 GiB for parameters, gradients and the buffers of a batch of 1 row; the limit is 16 GiB [NN403]
            network N {
                    ^\
            """),
        row(
            "NN404",
            "nesting too deep",
            """
            network N {
              input x[2]
              dense h[3] relu init [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:3:39: error: brackets nested deeper than 16 [NN404]
              dense h[3] relu init [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]
                                                  ^\
            """),
        row(
            "NN102",
            "unexpected token",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid init ]
              target t[1]
              loss squared_error(out, t)
            }
            """,
            """
            model.nn:4:29: error: expected a name or '[' but found ']' [NN102]
              dense out[1] sigmoid init ]
                                        ^\
            """),
        row(
            "NN315",
            "data missing input",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              batch full
              epochs 10
              data inline { t = [[0]] }
            }
            """,
            """
            model.nn:12:3: error: data inline has no entry for the input 'x' [NN315]
              data inline { t = [[0]] }
              ^~~~\
            """),
        row(
            "NN203",
            "design example",
            """
            network N {
                input   x[30]
                dense   h[25]
                dense   out[10]  sigmoid  init [[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]
                target  t[10]
                loss    squared_error(out, t)
            }
            """,
            """
            model.nn:4:36: error: dense 'out' expects 25 inputs, got 1 [NN203]
                dense   out[10]  sigmoid  init [[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]
                                               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\
            """));
  }

  /**
   * The rows of validation, metrics, probabilities and the training features (NN7xx, and the
   * messages of those features in other ranges), kept apart from {@link #rows()}.
   */
  static Stream<Arguments> trainingRows() {
    return Stream.of(
        row(
            "NN701",
            "onehot of a label on a one-wide output",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              label y
              loss binary_cross_entropy(out, onehot(y))
            }
            """,
            """
            model.nn:5:34: error: onehot(y) against the one-wide output 'out' has a single class, so any label but 0 is out of range; for 0/1 labels write binary_cross_entropy(out, y) with a sigmoid on 'out', or widen the output to the number of classes [NN701]
              loss binary_cross_entropy(out, onehot(y))
                                             ^~~~~~~~~\
            """),
        row(
            "NN702",
            "unknown validation",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate part(0.2)

            }
            """,
            """
            model.nn:11:12: error: unknown validation 'part'; expected split(FRACTION), or a data source: idx, npz, csv [NN702]
              validate part(0.2)
                       ^~~~\
            """),
        row(
            "NN703",
            "split outside 0..1",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(1.5)

            }
            """,
            """
            model.nn:11:18: error: the validation split is the share of the training rows to hold out, between 0 and 1 (exclusive), got 1.5; split(0.2) holds out 20% [NN703]
              validate split(1.5)
                             ^~~\
            """),
        row(
            "NN704",
            "unknown stop rule",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop late(patience = 3)
            }
            """,
            """
            model.nn:12:8: error: unknown stop rule 'late'; write stop early(patience = N) [NN704]
              stop late(patience = 3)
                   ^~~~\
            """),
        row(
            "NN705",
            "patience zero",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(patience = 0)
            }
            """,
            """
            model.nn:12:14: error: patience must be a positive whole number of epochs, got 0 [NN705]
              stop early(patience = 0)
                         ^~~~~~~~~~~~\
            """),
        row(
            "NN705",
            "stop without patience",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(monitor = val_loss)
            }
            """,
            """
            model.nn:12:3: error: stop early needs patience = N: the epochs to wait for an improvement [NN705]
              stop early(monitor = val_loss)
              ^~~~\
            """),
        row(
            "NN705",
            "unknown stop argument",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(patience = 3, wait = 2)
            }
            """,
            """
            model.nn:12:28: error: stop early takes patience, monitor and min_delta, not 'wait' [NN705]
              stop early(patience = 3, wait = 2)
                                       ^~~~\
            """),
        row(
            "NN705",
            "words after stop early",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(patience = 3) restore all
            }
            """,
            """
            model.nn:12:28: error: only 'restore best' may follow stop early(…), got 'restore all' [NN705]
              stop early(patience = 3) restore all
                                       ^~~~~~~\
            """),
        row(
            "NN705",
            "negative min_delta",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(patience = 3, min_delta = -1)
            }
            """,
            """
            model.nn:12:28: error: min_delta must be a number ≥ 0, got -1 [NN705]
              stop early(patience = 3, min_delta = -1)
                                       ^~~~~~~~~~~~~~\
            """),
        row(
            "NN706",
            "unknown monitor",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(patience = 3, monitor = val_acc)
            }
            """,
            """
            model.nn:12:38: error: unknown monitor 'val_acc'; expected loss, val_loss, or a metric: val_accuracy, val_f1, val_auc, val_precision, val_recall, val_rmse, val_mae (train_… for the training set) [NN706]
              stop early(patience = 3, monitor = val_acc)
                                                 ^~~~~~~\
            """),
        row(
            "NN707",
            "val_loss without validation",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")

              stop early(patience = 3)
            }
            """,
            """
            model.nn:12:3: error: stop early monitors val_loss, which needs validation rows; add 'validate split(0.2)' or a validate statement, or monitor = loss [NN707]
              stop early(patience = 3)
              ^~~~\
            """),
        row(
            "NN709",
            "unknown schedule",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              schedule linear(factor = 0.5)
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:12: error: unknown schedule 'linear'; expected step(every = K, factor = F), exponential(factor = F) or cosine(min_lr = M), each with an optional warmup = W [NN709]
              schedule linear(factor = 0.5)
                       ^~~~~~\
            """),
        row(
            "NN710",
            "schedule argument",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              schedule step(every = 5, gamma = 0.5)
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:28: error: schedule step takes every, factor and warmup, not 'gamma' [NN710]
              schedule step(every = 5, gamma = 0.5)
                                       ^~~~~\
            """),
        row(
            "NN710",
            "schedule every",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              schedule step(every = 0)
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:17: error: every must be a positive whole number of epochs, got 0 [NN710]
              schedule step(every = 0)
                            ^~~~~~~~~\
            """),
        row(
            "NN710",
            "schedule without every",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              schedule step(factor = 0.5)
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:3: error: schedule step needs every = K: the epochs between two drops of the learning rate [NN710]
              schedule step(factor = 0.5)
              ^~~~~~~~\
            """),
        row(
            "NN710",
            "schedule factor",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              schedule exponential(factor = 1.5)
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:24: error: factor multiplies the learning rate: it must be in (0, 1], got 1.5 [NN710]
              schedule exponential(factor = 1.5)
                                   ^~~~~~~~~~~~\
            """),
        row(
            "NN710",
            "schedule min_lr",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              schedule cosine(min_lr = 0.5, warmup = 2)
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:19: error: min_lr must be ≥ 0 and below the learning rate 0.1, got 0.5 [NN710]
              schedule cosine(min_lr = 0.5, warmup = 2)
                              ^~~~~~~~~~~~\
            """),
        row(
            "NN710",
            "schedule with decay",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1, decay = 0.95 per epoch)
              schedule cosine()
              epochs 10
              data csv("d.csv")
            }
            """,
            """
            model.nn:9:3: error: a schedule replaces the optimizer's decay: give one or the other (schedule exponential(factor = 0.95) is the same decay) [NN710]
              schedule cosine()
              ^~~~~~~~\
            """),
        row(
            "NN710",
            "schedule with lbfgs",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer lbfgs(iterations = 20)
              batch full
              schedule cosine()
              data csv("d.csv")
            }
            """,
            """
            model.nn:10:3: error: cg and lbfgs take no learning rate, so no schedule; remove it or use sgd, momentum or adam [NN710]
              schedule cosine()
              ^~~~~~~~\
            """),
        row(
            "NN708",
            "l1 over 2m",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
              penalty l1(0.1) / 2m
            }
            """,
            """
            model.nn:7:3: error: penalty l1 takes no '/ 2m' (that is l2's λ/(2m) · ΣW²); write penalty l1(λ) for λ · Σ|W| [NN708]
              penalty l1(0.1) / 2m
              ^~~~~~~~~~~~~~~~~~~~\
            """),
        row(
            "NN708",
            "negative penalty",
            """
            network N {
              input x[2]
              dense h[3] relu
              dense out[1] sigmoid
              target t[1]
              loss squared_error(out, t)
              penalty l2(-0.01)
            }
            """,
            """
            model.nn:7:14: error: a penalty's coefficient must be 0 or more (it is added to the loss), got -0.01 [NN708]
              penalty l2(-0.01)
                         ^~~~~\
            """),
        row(
            "NN240",
            "stop argument twice",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv("d.csv")
              validate split(0.2)
              stop early(patience = 3, patience = 4)
            }
            """,
            """
            model.nn:12:28: error: 'patience' is given twice [NN240]
              stop early(patience = 3, patience = 4)
                                       ^~~~~~~~\
            """),
        row(
            "NN221",
            "did you mean for mse",
            """
            network N {
              input x[2]
              dense out[3]
              label y
              loss mse(out, y)
            }
            """,
            """
            model.nn:5:8: error: unknown loss 'mse'; expected one of squared_error, softmax_cross_entropy, binary_cross_entropy; for 'mse' write squared_error [NN221]
              loss mse(out, y)
                   ^~~\
            """),
        row(
            "NN221",
            "did you mean for categorical_crossentropy",
            """
            network N {
              input x[2]
              dense out[3]
              label y
              loss categorical_crossentropy(out, y)
            }
            """,
            """
            model.nn:5:8: error: unknown loss 'categorical_crossentropy'; expected one of squared_error, softmax_cross_entropy, binary_cross_entropy; for 'categorical_crossentropy' write softmax_cross_entropy [NN221]
              loss categorical_crossentropy(out, y)
                   ^~~~~~~~~~~~~~~~~~~~~~~~\
            """),
        row(
            "NN711",
            "dropout rate of 1 or more",
            """
            network N {
              input x[2]
              dense h[8] relu dropout(50)
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:3:27: error: the dropout rate of dense 'h' is the share of its outputs zeroed in training, 0 ≤ p < 1, got 50; for 50% write dropout(0.5) [NN711]
              dense h[8] relu dropout(50)
                                      ^~\
            """),
        row(
            "NN711",
            "negative dropout rate",
            """
            network N {
              input x[2]
              dense h[8] relu dropout(-0.1)
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:3:27: error: the dropout rate of dense 'h' is the share of its outputs zeroed in training, 0 ≤ p < 1, got -0.1 [NN711]
              dense h[8] relu dropout(-0.1)
                                      ^~~~\
            """),
        row(
            "NN711",
            "dropout argument name",
            """
            network N {
              input x[2]
              dense h[8] relu dropout(keep = 0.5)
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:3:27: error: dropout takes one argument, the rate p (the share of outputs zeroed), not 'keep'; write dropout(0.5) or dropout(p = 0.5) [NN711]
              dense h[8] relu dropout(keep = 0.5)
                                      ^~~~\
            """),
        row(
            "NN232",
            "dropout twice",
            """
            network N {
              input x[2]
              dense h[8] relu dropout(0.5) dropout(0.2)
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:3:32: error: 'dropout' is given twice for dense 'h' [NN232]
              dense h[8] relu dropout(0.5) dropout(0.2)
                                           ^~~~~~~\
            """),
        row(
            "NN712",
            "dropout on the output layer",
            """
            network N {
              input x[2]
              dense h[8] relu
              dense out[1] sigmoid dropout(0.5)
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:4:24: error: dropout on the output layer 'out' would zero the outputs the loss reads; put it on a hidden layer (the one before 'out') [NN712]
              dense out[1] sigmoid dropout(0.5)
                                   ^~~~~~~\
            """),
        row(
            "NN713",
            "dropout with lbfgs",
            """
            network N {
              input x[2]
              dense h[8] relu dropout(0.5)
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer lbfgs(iterations = 20)
              data csv("d.csv")
            }
            """,
            """
            model.nn:3:19: error: dropout draws new masks every step, but lbfgs searches along one fixed objective; use sgd or adam, or remove the dropout [NN713]
              dense h[8] relu dropout(0.5)
                              ^~~~~~~\
            """),
        row(
            "NN102",
            "dropout without parentheses",
            """
            network N {
              input x[2]
              dense h[8] relu dropout 0.5
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            """,
            """
            model.nn:3:27: error: expected '(' but found '0.5' [NN102]
              dense h[8] relu dropout 0.5
                                      ^~~\
            """),
        row(
            "NN714",
            "weights instead of class_weights",
            """
            network N {
              input x[2]
              dense out[3]
              label y
              loss softmax_cross_entropy(out, y) weights(1, 2, 3)
            }
            """,
            """
            model.nn:5:38: error: unknown loss option 'weights'; after the loss come reduce REDUCTION and class_weights(…); for a weight per class write class_weights(…) [NN714]
              loss softmax_cross_entropy(out, y) weights(1, 2, 3)
                                                 ^~~~~~~\
            """),
        row(
            "NN715",
            "class_weights on dense targets",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t) class_weights(1, 3)
            }
            """,
            """
            model.nn:5:37: error: class_weights needs class labels, but 't' is a dense target; declare label y, or weight the rows in the data [NN715]
              loss binary_cross_entropy(out, t) class_weights(1, 3)
                                                ^~~~~~~~~~~~~\
            """),
        row(
            "NN716",
            "class_weights of the wrong count",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              label y
              loss binary_cross_entropy(out, y) class_weights(1, 3, 2)
            }
            """,
            """
            model.nn:5:51: error: class_weights takes one weight per class: 2 for the 2 classes of 'y', got 3 [NN716]
              loss binary_cross_entropy(out, y) class_weights(1, 3, 2)
                                                              ^\
            """),
        row(
            "NN716",
            "a class weight of zero",
            """
            network N {
              input x[2]
              dense out[3]
              label y
              loss softmax_cross_entropy(out, y) class_weights(1, 0, 2)
            }
            """,
            """
            model.nn:5:55: error: a class weight multiplies the loss of that class's rows: it must be positive and finite, got 0 [NN716]
              loss softmax_cross_entropy(out, y) class_weights(1, 0, 2)
                                                                  ^\
            """),
        row(
            "NN101",
            "single-quoted path",
            """
            network N {
              input x[2]
              dense out[1] sigmoid
              target t[1]
              loss binary_cross_entropy(out, t)
            }
            train {
              optimizer sgd(lr = 0.1)
              epochs 10
              data csv('d.csv')
            }
            """,
            """
            model.nn:10:12: error: unexpected character \"'\"; strings take straight double quotes: "train.csv" [NN101]
              data csv('d.csv')
                       ^\
            """));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("trainingRows")
  void reportsTrainingFeaturesExactly(String code, String name, String input, String expected) {
    reportsExactly(code, name, input, expected);
  }

  private static Arguments row(String code, String name, String input, String expected) {
    return Arguments.of(code, name, input, expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rows")
  void reportsExactly(String code, String name, String input, String expected) {
    CompileResult result = NnCompiler.compile("model.nn", input);

    assertThat(result.formatDiagnostics()).isEqualTo(expected);
    assertThat(result.diagnostics().get(0).code().code()).isEqualTo(code);
    boolean hasErrors = result.diagnostics().stream().anyMatch(Diagnostic::isError);
    assertThat(result.ok()).isEqualTo(!hasErrors);
  }

  @Test
  void everyCodeHasARow() {
    Set<String> covered =
        Stream.concat(Stream.concat(rows(), trainingRows()), ConvDiagnosticTableTest.rows())
            .map(arguments -> (String) arguments.get()[0])
            .collect(Collectors.toSet());
    Set<DiagnosticCode> elsewhere =
        EnumSet.of(
            DiagnosticCode.CANNOT_READ_FILE,
            DiagnosticCode.MALFORMED_UTF8,
            DiagnosticCode.MISSING_DATA_FILE, // nnc check: MainTest
            DiagnosticCode.INTERNAL_ERROR);
    for (DiagnosticCode code : DiagnosticCode.values()) {
      if (!elsewhere.contains(code)) {
        assertThat(covered).contains(code.code());
      }
    }
  }
}
