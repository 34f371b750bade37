package dev.nnc.parser;

import dev.nnc.ast.ArgumentDecl;
import dev.nnc.ast.ArrayDecl;
import dev.nnc.ast.ArrayElementDecl;
import dev.nnc.ast.BatchDecl;
import dev.nnc.ast.BlockDecl;
import dev.nnc.ast.ConvDecl;
import dev.nnc.ast.ConvOptionDecl;
import dev.nnc.ast.DataDecl;
import dev.nnc.ast.DataEntryDecl;
import dev.nnc.ast.DataFileDecl;
import dev.nnc.ast.DataSourceDecl;
import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.DenseOptionDecl;
import dev.nnc.ast.DimensionDecl;
import dev.nnc.ast.EpochsDecl;
import dev.nnc.ast.FileDecl;
import dev.nnc.ast.FlattenDecl;
import dev.nnc.ast.InitDecl;
import dev.nnc.ast.InputDecl;
import dev.nnc.ast.LabelDecl;
import dev.nnc.ast.LossDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NetworkDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.OptimizerDecl;
import dev.nnc.ast.PenaltyDecl;
import dev.nnc.ast.PoolDecl;
import dev.nnc.ast.PowersDecl;
import dev.nnc.ast.PrecisionDecl;
import dev.nnc.ast.SeedDecl;
import dev.nnc.ast.SourceArgumentDecl;
import dev.nnc.ast.SourceOptionDecl;
import dev.nnc.ast.StandardizeDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.StepsDecl;
import dev.nnc.ast.StopDecl;
import dev.nnc.ast.StringDecl;
import dev.nnc.ast.TargetDecl;
import dev.nnc.ast.TargetReferenceDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.ast.TransformDecl;
import dev.nnc.ast.UnknownStatementDecl;
import dev.nnc.ast.ValidateDecl;
import dev.nnc.ast.ValidateSplitDecl;
import dev.nnc.ast.WordArgumentDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.DiagnosticCollector;
import dev.nnc.diag.Span;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * The only class that reads the parse tree: every {@code visitX} builds one immutable AST node with
 * its span. ANTLR counts columns from 0 in code points; {@link #span} turns that into the 1-based
 * UTF-16 columns of {@link Span}, here and nowhere else.
 *
 * <p>Malformed numbers ({@code 1.2.3}) are tokens the grammar accepts, so that the parser stays on
 * track; this builder reports them as NN103. Likewise a string literal may hold any character but a
 * line break; this builder resolves its escapes and reports control characters and unknown escapes
 * as NN106, at the character.
 */
public final class AstBuilder extends NnBaseVisitor<Object> {
  private final SourceColumns columns;
  private final DiagnosticCollector diagnostics;

  public AstBuilder(String text, DiagnosticCollector diagnostics) {
    this.columns = new SourceColumns(text);
    this.diagnostics = diagnostics;
  }

  /** Builds the file's AST from a parse tree that had no syntax errors. */
  public FileDecl build(NnParser.FileContext file) {
    return visitFile(file);
  }

  @Override
  public FileDecl visitFile(NnParser.FileContext context) {
    List<BlockDecl> blocks =
        context.block().stream().map(block -> (BlockDecl) visit(block)).toList();
    return new FileDecl(span(context), blocks);
  }

  @Override
  public NetworkDecl visitNetworkBlock(NnParser.NetworkBlockContext context) {
    return new NetworkDecl(span(context), name(context.name), statements(context.statement()));
  }

  @Override
  public TrainDecl visitTrainBlock(NnParser.TrainBlockContext context) {
    return new TrainDecl(span(context), statements(context.statement()));
  }

  private List<StatementDecl> statements(List<NnParser.StatementContext> statements) {
    return statements.stream().map(statement -> (StatementDecl) visit(statement)).toList();
  }

  @Override
  public PrecisionDecl visitPrecisionStatement(NnParser.PrecisionStatementContext context) {
    return new PrecisionDecl(span(context), name(context.kind));
  }

  @Override
  public InputDecl visitInputStatement(NnParser.InputStatementContext context) {
    return new InputDecl(
        span(context),
        name(context.name),
        dimension(context.dimension(0)),
        transforms(context.transform()),
        context.dimension().stream().skip(1).map(this::dimension).toList());
  }

  @Override
  public ConvDecl visitConvStatement(NnParser.ConvStatementContext context) {
    return new ConvDecl(
        span(context),
        name(context.name),
        dimension(context.filters),
        convOptions(context.convOption()));
  }

  @Override
  public PoolDecl visitPoolStatement(NnParser.PoolStatementContext context) {
    return new PoolDecl(
        span(context),
        context.pool.getType() == NnLexer.MAXPOOL,
        name(context.name),
        convOptions(context.convOption()));
  }

  @Override
  public FlattenDecl visitFlattenStatement(NnParser.FlattenStatementContext context) {
    return new FlattenDecl(span(context), name(context.name));
  }

  private List<ConvOptionDecl> convOptions(List<NnParser.ConvOptionContext> options) {
    return options.stream().map(this::convOption).toList();
  }

  private ConvOptionDecl convOption(NnParser.ConvOptionContext context) {
    if (context instanceof NnParser.KernelOptionContext kernel) {
      return pair(context, "kernel", kernel.pair());
    } else if (context instanceof NnParser.StrideOptionContext stride) {
      return pair(context, "stride", stride.pair());
    } else if (context instanceof NnParser.PadOptionContext pad) {
      return pair(context, "pad", pad.pair());
    } else if (context instanceof NnParser.ConvActivationOptionContext activation) {
      return new ConvOptionDecl.ActivationDecl(span(context), name(activation.activation));
    }
    NnParser.ConvDenseOptionContext dense = (NnParser.ConvDenseOptionContext) context;
    return new ConvOptionDecl.DenseDecl(
        span(context), (DenseOptionDecl) visit(dense.denseOption()));
  }

  private ConvOptionDecl.PairDecl pair(
      NnParser.ConvOptionContext option, String keyword, NnParser.PairContext pair) {
    if (pair instanceof NnParser.RectanglePairContext rectangle) {
      return new ConvOptionDecl.PairDecl(
          span(option), keyword, number(rectangle.height), number(rectangle.width));
    }
    NumberDecl size = number(((NnParser.SquarePairContext) pair).number());
    return new ConvOptionDecl.PairDecl(span(option), keyword, size, size);
  }

  @Override
  public DenseDecl visitDenseStatement(NnParser.DenseStatementContext context) {
    List<DenseOptionDecl> options =
        context.denseOption().stream().map(option -> (DenseOptionDecl) visit(option)).toList();
    return new DenseDecl(
        span(context),
        name(context.name),
        dimension(context.dimension()),
        Optional.ofNullable(context.activation).map(this::name),
        options);
  }

  @Override
  public TargetDecl visitTargetStatement(NnParser.TargetStatementContext context) {
    return new TargetDecl(
        span(context),
        name(context.name),
        dimension(context.dimension()),
        transforms(context.transform()));
  }

  @Override
  public LabelDecl visitLabelStatement(NnParser.LabelStatementContext context) {
    return new LabelDecl(span(context), name(context.name));
  }

  @Override
  public LossDecl visitLossStatement(NnParser.LossStatementContext context) {
    return new LossDecl(
        span(context),
        name(context.kind),
        name(context.output),
        (TargetReferenceDecl) visit(context.targetReference()),
        Optional.ofNullable(context.reduction).map(this::name),
        Optional.ofNullable(context.option).map(this::name),
        context.weights.stream().map(this::number).toList());
  }

  @Override
  public PenaltyDecl visitPenaltyStatement(NnParser.PenaltyStatementContext context) {
    return new PenaltyDecl(
        span(context), name(context.kind), number(context.coefficient), context.overTwoM != null);
  }

  @Override
  public OptimizerDecl visitOptimizerStatement(NnParser.OptimizerStatementContext context) {
    return new OptimizerDecl(span(context), name(context.kind), arguments(context.argument()));
  }

  @Override
  public BatchDecl visitFullBatchStatement(NnParser.FullBatchStatementContext context) {
    return new BatchDecl(span(context), Optional.empty(), BatchDecl.Order.SEQUENTIAL);
  }

  @Override
  public BatchDecl visitBatchStatement(NnParser.BatchStatementContext context) {
    BatchDecl.Order order =
        context.SHUFFLE() != null
            ? BatchDecl.Order.SHUFFLE
            : context.REPLACEMENT() != null
                ? BatchDecl.Order.WITH_REPLACEMENT
                : BatchDecl.Order.SEQUENTIAL;
    return new BatchDecl(span(context), Optional.of(number(context.size)), order);
  }

  @Override
  public EpochsDecl visitEpochsStatement(NnParser.EpochsStatementContext context) {
    return new EpochsDecl(span(context), number(context.count));
  }

  @Override
  public StepsDecl visitStepsStatement(NnParser.StepsStatementContext context) {
    return new StepsDecl(span(context), number(context.count));
  }

  @Override
  public SeedDecl visitSeedStatement(NnParser.SeedStatementContext context) {
    return new SeedDecl(span(context), number(context.value));
  }

  @Override
  public DataDecl visitDataStatement(NnParser.DataStatementContext context) {
    List<DataEntryDecl> entries =
        context.dataEntry().stream()
            .map(entry -> new DataEntryDecl(span(entry), name(entry.name), array(entry.array())))
            .toList();
    return new DataDecl(span(context), entries);
  }

  @Override
  public DataFileDecl visitDataFileStatement(NnParser.DataFileStatementContext context) {
    return new DataFileDecl(span(context), dataSource(context.dataSource()));
  }

  @Override
  public ValidateDecl visitValidateStatement(NnParser.ValidateStatementContext context) {
    return new ValidateDecl(span(context), dataSource(context.dataSource()));
  }

  @Override
  public ValidateSplitDecl visitValidateSplitStatement(
      NnParser.ValidateSplitStatementContext context) {
    return new ValidateSplitDecl(span(context), name(context.kind), number(context.fraction));
  }

  @Override
  public StatementDecl visitStopStatement(NnParser.StopStatementContext context) {
    if (!context.kind.getText().equals("stop") && !context.kind.getText().equals("schedule")) {
      return new UnknownStatementDecl(span(context), name(context.kind));
    }
    List<WordArgumentDecl> arguments =
        context.wordArgument().stream()
            .map(
                argument ->
                    new WordArgumentDecl(
                        span(argument),
                        name(argument.name),
                        Optional.ofNullable(argument.value).map(this::number),
                        Optional.ofNullable(argument.word).map(this::name)))
            .toList();
    return new StopDecl(
        span(context),
        name(context.kind),
        name(context.stopRule),
        arguments,
        context.after.stream().map(this::name).toList());
  }

  private DataSourceDecl dataSource(NnParser.DataSourceContext context) {
    List<SourceArgumentDecl> arguments =
        context.sourceArgument().stream()
            .map(argument -> (SourceArgumentDecl) visit(argument))
            .toList();
    List<SourceOptionDecl> options =
        context.sourceOption().stream().map(option -> (SourceOptionDecl) visit(option)).toList();
    return new DataSourceDecl(span(context), name(context.kind), arguments, options);
  }

  @Override
  public SourceArgumentDecl visitPathArgument(NnParser.PathArgumentContext context) {
    return new SourceArgumentDecl.PathDecl(span(context), string(context.path));
  }

  @Override
  public SourceArgumentDecl visitMemberArgument(NnParser.MemberArgumentContext context) {
    return new SourceArgumentDecl.MemberDecl(
        span(context), name(context.name), string(context.member));
  }

  @Override
  public SourceArgumentDecl visitFlagArgument(NnParser.FlagArgumentContext context) {
    return new SourceArgumentDecl.FlagDecl(span(context), name(context.name));
  }

  @Override
  public SourceOptionDecl visitScaleOption(NnParser.ScaleOptionContext context) {
    return new SourceOptionDecl.ScaleDecl(
        span(context),
        number(context.numerator),
        Optional.ofNullable(context.denominator).map(this::number));
  }

  @Override
  public SourceOptionDecl visitRowsOption(NnParser.RowsOptionContext context) {
    return new SourceOptionDecl.RowsDecl(span(context), number(context.count));
  }

  @Override
  public UnknownStatementDecl visitUnknownStatement(NnParser.UnknownStatementContext context) {
    return new UnknownStatementDecl(span(context), name(context.kind));
  }

  private DimensionDecl dimension(NnParser.DimensionContext context) {
    if (context instanceof NnParser.NamedDimensionContext named) {
      return new DimensionDecl(
          span(context), Optional.of(name(named.name)), Optional.of(number(named.size)));
    } else if (context instanceof NnParser.LiteralDimensionContext literal) {
      return new DimensionDecl(span(context), Optional.empty(), Optional.of(number(literal.size)));
    }
    NnParser.DimensionReferenceContext reference = (NnParser.DimensionReferenceContext) context;
    return new DimensionDecl(span(context), Optional.of(name(reference.name)), Optional.empty());
  }

  private List<TransformDecl> transforms(List<NnParser.TransformContext> transforms) {
    return transforms.stream().map(transform -> (TransformDecl) visit(transform)).toList();
  }

  @Override
  public PowersDecl visitPowersTransform(NnParser.PowersTransformContext context) {
    return new PowersDecl(span(context), context.number().stream().map(this::number).toList());
  }

  @Override
  public StandardizeDecl visitStandardizeTransform(NnParser.StandardizeTransformContext context) {
    return new StandardizeDecl(span(context), arguments(context.argument()));
  }

  @Override
  public DenseOptionDecl visitNoBiasOption(NnParser.NoBiasOptionContext context) {
    return new DenseOptionDecl.NoBiasDecl(span(context));
  }

  @Override
  public DenseOptionDecl visitWeightInitOption(NnParser.WeightInitOptionContext context) {
    return new DenseOptionDecl.WeightInitDecl(span(context), (InitDecl) visit(context.init()));
  }

  @Override
  public DenseOptionDecl visitBiasInitOption(NnParser.BiasInitOptionContext context) {
    return new DenseOptionDecl.BiasInitDecl(span(context), (InitDecl) visit(context.init()));
  }

  @Override
  public DenseOptionDecl visitDropoutOption(NnParser.DropoutOptionContext context) {
    return new DenseOptionDecl.DropoutDecl(
        span(context), Optional.ofNullable(context.rateName).map(this::name), number(context.rate));
  }

  @Override
  public InitDecl visitInitCall(NnParser.InitCallContext context) {
    return new InitDecl.InitCallDecl(
        span(context), name(context.kind), context.number().stream().map(this::number).toList());
  }

  @Override
  public InitDecl visitInitValues(NnParser.InitValuesContext context) {
    return new InitDecl.InitValuesDecl(span(context), array(context.array()));
  }

  @Override
  public TargetReferenceDecl visitOnehotTarget(NnParser.OnehotTargetContext context) {
    return new TargetReferenceDecl(span(context), name(context.name), true);
  }

  @Override
  public TargetReferenceDecl visitPlainTarget(NnParser.PlainTargetContext context) {
    return new TargetReferenceDecl(span(context), name(context.name), false);
  }

  private List<ArgumentDecl> arguments(List<NnParser.ArgumentContext> arguments) {
    return arguments.stream()
        .map(
            argument ->
                new ArgumentDecl(
                    span(argument),
                    name(argument.name),
                    number(argument.value),
                    argument.qualifier.stream().map(this::name).toList()))
        .toList();
  }

  private ArrayDecl array(NnParser.ArrayContext context) {
    List<ArrayElementDecl> elements =
        context.arrayElement().stream()
            .map(
                element ->
                    element.number() != null
                        ? (ArrayElementDecl) number(element.number())
                        : array(element.array()))
            .toList();
    return new ArrayDecl(span(context), elements);
  }

  private NumberDecl number(NnParser.NumberContext context) {
    Token digits = context.stop;
    String text = (context.MINUS() != null ? "-" : "") + digits.getText();
    if (digits.getType() == NnLexer.BAD_NUMBER) {
      diagnostics.report(DiagnosticCode.BAD_NUMBER, span(digits), digits.getText());
    }
    return new NumberDecl(span(context), text);
  }

  /**
   * The text between the quotes with {@code \"} and {@code \\} resolved. Control characters (a tab
   * included: a path with one is almost surely a mistake) and other escapes are reported at the
   * character; the lexer has already kept line breaks out.
   */
  private StringDecl string(Token token) {
    String quoted = token.getText();
    Span span = span(token);
    StringBuilder value = new StringBuilder();
    int errorsBefore = diagnostics.errorCount();
    for (int i = 1; i < quoted.length() - 1; i++) {
      char c = quoted.charAt(i);
      Span at = new Span(span.line(), span.column() + i, 1);
      boolean first = diagnostics.errorCount() == errorsBefore; // one message per string
      if (c == '\\') {
        int escaped = quoted.codePointAt(i + 1);
        if (first && escaped != '"' && escaped != '\\') {
          String shown =
              Character.isISOControl(escaped)
                  ? String.format("U+%04X", escaped)
                  : "'\\" + Character.toString(escaped) + "'";
          diagnostics.report(
              DiagnosticCode.BAD_STRING_CHARACTER,
              new Span(span.line(), span.column() + i, 1 + Character.charCount(escaped)),
              "unknown escape " + shown + " in a string; write \\\\ for a backslash");
        }
        value.appendCodePoint(escaped);
        i += Character.charCount(escaped);
      } else if (Character.isISOControl(c)) {
        if (first) {
          diagnostics.report(
              DiagnosticCode.BAD_STRING_CHARACTER,
              at,
              String.format("a string may not hold the control character U+%04X", (int) c));
        }
      } else {
        value.append(c);
      }
    }
    return new StringDecl(span, value.toString());
  }

  private NameDecl name(NnParser.IdentifierContext context) {
    return name(context.start);
  }

  private NameDecl name(Token token) {
    return new NameDecl(span(token), token.getText());
  }

  private Span span(Token token) {
    return columns.span(token, token);
  }

  private Span span(ParserRuleContext context) {
    Token stop = context.stop == null ? context.start : context.stop;
    return columns.span(context.start, stop);
  }
}
