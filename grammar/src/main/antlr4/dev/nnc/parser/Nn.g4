// The .nn language (docs/language.md). The parser only recognises structure; the checker
// (dev.nnc.check) resolves names and kinds, so most words that vary (activations, init kinds,
// loss kinds, reductions, optimizers, precisions) are plain IDs here and an unknown one gets a
// precise diagnostic instead of a syntax error.
//
// Keywords are contextual: `identifier` accepts every keyword token, so a layer may be called
// `out`, a label `label`, a target `data`.
grammar Nn;

file
  : block* EOF
  ;

block
  : NETWORK name=identifier '{' statement* '}'   # networkBlock
  | TRAIN '{' statement* '}'                     # trainBlock
  ;

// One statement rule for both blocks: the checker tells a user that `optimizer` belongs in the
// train block, which reads better than a syntax error.
statement
  : PRECISION kind=ID                                               # precisionStatement
  | INPUT name=identifier '[' dimension (',' dimension)* ']' transform*  # inputStatement
  | DENSE name=identifier '[' dimension ']' activation=ID? denseOption*  # denseStatement
  | TARGET name=identifier '[' dimension ']' transform*             # targetStatement
  | LABEL name=identifier                                           # labelStatement
  | LOSS kind=ID '(' output=identifier ',' targetReference ')' (REDUCE reduction=ID)?
      (option=ID '(' (weights+=number (',' weights+=number)*)? ')')?  # lossStatement
  | PENALTY kind=ID '(' coefficient=number ')' (overTwoM='/' TWO_M)?  # penaltyStatement
  | OPTIMIZER kind=ID '(' (argument (',' argument)*)? ')'           # optimizerStatement
  | BATCH FULL                                                      # fullBatchStatement
  | BATCH size=number (SHUFFLE | WITH REPLACEMENT)?                 # batchStatement
  | EPOCHS count=number                                             # epochsStatement
  | STEPS count=number                                              # stepsStatement
  | SEED value=number                                               # seedStatement
  | DATA INLINE '{' dataEntry* '}'                                  # dataStatement
  | DATA dataSource                                                 # dataFileStatement
  | VALIDATE dataSource                                             # validateStatement
  // Training features (issue 15): `validate split(0.2)`, and `stop early(patience = 5, monitor =
  // val_loss) restore best`, whose words are plain IDs the checker reads (an unknown first word is
  // still an unknown statement).
  | VALIDATE kind=ID '(' fraction=number ')'                        # validateSplitStatement
  | kind=ID stopRule=ID '(' (wordArgument (',' wordArgument)*)? ')' after+=ID*  # stopStatement
  // Convolutional layers (docs/language.md, "Convolution and pooling")
  | CONV name=identifier '[' filters=dimension ']' convOption*     # convStatement
  | pool=(MAXPOOL | AVGPOOL) name=identifier convOption*            # poolStatement
  | FLATTEN name=identifier                                         # flattenStatement
  // `pool c[3] …`: an unknown statement kind followed by at least one plain word or number. The
  // required second token keeps `dense h[3] relu` (an activation) apart from a new statement.
  | kind=ID unknownHead unknownTail*                                # unknownStatement
  ;

unknownHead
  : ID | NUMBER | BAD_NUMBER | '-' | '('
  ;

unknownTail
  : ID | NUMBER | BAD_NUMBER | STRING | TWO_M | '[' | ']' | '(' | ')' | ',' | '=' | '-' | '/'
  ;

// 784, D = 784, or D (a dimension named earlier)
dimension
  : name=identifier '=' size=number   # namedDimension
  | size=number                       # literalDimension
  | name=identifier                   # dimensionReference
  ;

// kernel 5, kernel (3, 5), stride 2, pad 1, an activation, and a dense layer's options. Any order;
// the checker says which options a statement takes.
convOption
  : KERNEL pair      # kernelOption
  | STRIDE pair      # strideOption
  | PAD pair         # padOption
  | activation=ID    # convActivationOption
  | denseOption      # convDenseOption
  ;

// 5, or (height, width)
pair
  : number                           # squarePair
  | '(' height=number ',' width=number ')'  # rectanglePair
  ;

transform
  : POWERS '(' number (',' number)* ')'        # powersTransform
  | STANDARDIZE '(' (argument (',' argument)*)? ')'  # standardizeTransform
  ;

denseOption
  : NOBIAS          # noBiasOption
  | INIT init       # weightInitOption
  | BIAS INIT init  # biasInitOption
  // dropout(0.5), or dropout(p = 0.5) / dropout(rate = 0.5) as PyTorch and Keras name it
  | DROPOUT '(' (rateName=identifier '=')? rate=number ')'  # dropoutOption
  ;

init
  : kind=ID '(' (number (',' number)*)? ')'   # initCall
  | array                                     # initValues
  ;

targetReference
  : ONEHOT '(' name=identifier ')'   # onehotTarget
  | name=identifier                  # plainTarget
  ;

// lr = 0.1, decay = 0.95 per epoch, ddof = 1
argument
  : name=identifier '=' value=number qualifier+=ID*
  ;

// patience = 5, monitor = val_loss
wordArgument
  : name=identifier '=' (value=number | word=identifier)
  ;

// idx("images.gz", "labels.gz") scale 1/255 rows 5000, npz("d.npz", x = "X", y = "y"),
// csv("d.csv", header). The kind is a plain ID and the arguments take any of the three forms, so
// the checker can say which form a source expects.
dataSource
  : kind=ID '(' (sourceArgument (',' sourceArgument)*)? ')' sourceOption*
  ;

sourceArgument
  : path=STRING                             # pathArgument
  | name=identifier '=' member=STRING       # memberArgument
  | name=identifier                         # flagArgument
  ;

sourceOption
  : SCALE numerator=number ('/' denominator=number)?   # scaleOption
  | ROWS count=number                                  # rowsOption
  ;

dataEntry
  : name=identifier '=' array
  ;

array
  : '[' (arrayElement (',' arrayElement)*)? ']'
  ;

arrayElement
  : number
  | array
  ;

number
  : '-'? (NUMBER | BAD_NUMBER)
  ;

identifier
  : ID
  | NETWORK | TRAIN | PRECISION | INPUT | DENSE | TARGET | LABEL | LOSS | PENALTY
  | OPTIMIZER | BATCH | EPOCHS | STEPS | SEED | DATA | POWERS | STANDARDIZE | NOBIAS | INIT
  | BIAS | REDUCE | ONEHOT | FULL | SHUFFLE | WITH | REPLACEMENT | INLINE | VALIDATE | SCALE
  | ROWS
  | CONV | MAXPOOL | AVGPOOL | FLATTEN | KERNEL | STRIDE | PAD | DROPOUT
  ;

NETWORK : 'network' ;
TRAIN : 'train' ;
PRECISION : 'precision' ;
INPUT : 'input' ;
DENSE : 'dense' ;
TARGET : 'target' ;
LABEL : 'label' ;
LOSS : 'loss' ;
PENALTY : 'penalty' ;
OPTIMIZER : 'optimizer' ;
BATCH : 'batch' ;
EPOCHS : 'epochs' ;
STEPS : 'steps' ;
SEED : 'seed' ;
DATA : 'data' ;
POWERS : 'powers' ;
STANDARDIZE : 'standardize' ;
NOBIAS : 'nobias' ;
INIT : 'init' ;
BIAS : 'bias' ;
REDUCE : 'reduce' ;
ONEHOT : 'onehot' ;
FULL : 'full' ;
SHUFFLE : 'shuffle' ;
WITH : 'with' ;
REPLACEMENT : 'replacement' ;
INLINE : 'inline' ;
VALIDATE : 'validate' ;
SCALE : 'scale' ;
ROWS : 'rows' ;
CONV : 'conv' ;
MAXPOOL : 'maxpool' ;
AVGPOOL : 'avgpool' ;
FLATTEN : 'flatten' ;
KERNEL : 'kernel' ;
STRIDE : 'stride' ;
PAD : 'pad' ;
DROPOUT : 'dropout' ;

LBRACE : '{' ;
RBRACE : '}' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA : ',' ;
EQUALS : '=' ;
MINUS : '-' ;
SLASH : '/' ;

// `/ 2m` in `penalty l2(1) / 2m`; listed before the number rules so a tie goes to it.
TWO_M : '2m' ;

NUMBER
  : DIGITS ('.' DIGITS)? EXPONENT?
  | '.' DIGITS EXPONENT?
  ;

// Anything that starts like a number but is not one (`1.2.3`, `1e`, `3x`): one token, so the
// user sees "bad number '1.2.3'" rather than a cascade. Longest match beats NUMBER.
BAD_NUMBER
  : (DIGITS | '.' DIGITS) ([0-9a-zA-Z_.] | [eE] [+-])*
  ;

// "…" with \" and \\ escapes, on one line. Any other character is taken here and the builder
// reports control characters and unknown escapes in place (NN106).
STRING
  : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '"'
  ;

// A string the line ends inside of: one token, so the parser reports it as such (NN105).
UNTERMINATED_STRING
  : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '\\'?
  ;

// Wider than the language allows (any letter, a leading '_'): the checker rejects such names
// with a message that quotes them, instead of a lexer error on one character.
ID
  : [\p{L}_] [\p{L}\p{M}\p{N}_]*
  ;

COMMENT : '//' ~[\r\n]* -> skip ;
WHITESPACE : [ \t\r\n\f\uFEFF]+ -> skip ;  // a byte-order mark counts as space

// Every other character becomes a token of its own, so the parser reports it in place.
UNEXPECTED_CHARACTER : . ;

fragment DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
