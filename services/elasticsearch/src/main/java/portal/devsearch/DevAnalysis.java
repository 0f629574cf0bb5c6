package portal.devsearch;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.bn.BengaliNormalizationFilter;
import org.apache.lucene.analysis.br.BrazilianStemFilter;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.ckb.SoraniNormalizationFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanMinimalStemFilter;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fa.PersianNormalizationFilter;
import org.apache.lucene.analysis.fi.FinnishLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.hi.HindiNormalizationFilter;
import org.apache.lucene.analysis.in.IndicNormalizationFilter;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianNormalizationFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.no.NorwegianLightStemFilter;
import org.apache.lucene.analysis.no.NorwegianMinimalStemFilter;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.pt.PortugueseLightStemFilter;
import org.apache.lucene.analysis.pt.PortugueseMinimalStemFilter;
import org.apache.lucene.analysis.pt.PortugueseStemFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.ru.RussianLightStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.sr.SerbianNormalizationFilter;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.sv.SwedishLightStemFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.classic.ClassicFilter;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;

import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Elasticsearch's analysis-common module that a CMS search needs, written
 * against the Lucene classes that ship with the server jar. Names and parameters follow the
 * Elasticsearch reference so index settings written for a real cluster work unchanged.
 */
final class DevAnalysis {

    private DevAnalysis() {}

    // ------------------------------------------------------------------ analyzers

    /** Elasticsearch language analyzer name -> Lucene analyzer class (all in lucene-analysis-common). */
    private static final Map<String, String> LANGUAGE_ANALYZERS = Map.ofEntries(
        Map.entry("arabic", "ar.ArabicAnalyzer"),
        Map.entry("armenian", "hy.ArmenianAnalyzer"),
        Map.entry("basque", "eu.BasqueAnalyzer"),
        Map.entry("bengali", "bn.BengaliAnalyzer"),
        Map.entry("brazilian", "br.BrazilianAnalyzer"),
        Map.entry("bulgarian", "bg.BulgarianAnalyzer"),
        Map.entry("catalan", "ca.CatalanAnalyzer"),
        Map.entry("cjk", "cjk.CJKAnalyzer"),
        Map.entry("czech", "cz.CzechAnalyzer"),
        Map.entry("danish", "da.DanishAnalyzer"),
        Map.entry("dutch", "nl.DutchAnalyzer"),
        Map.entry("english", "en.EnglishAnalyzer"),
        Map.entry("estonian", "et.EstonianAnalyzer"),
        Map.entry("finnish", "fi.FinnishAnalyzer"),
        Map.entry("french", "fr.FrenchAnalyzer"),
        Map.entry("galician", "gl.GalicianAnalyzer"),
        Map.entry("german", "de.GermanAnalyzer"),
        Map.entry("greek", "el.GreekAnalyzer"),
        Map.entry("hindi", "hi.HindiAnalyzer"),
        Map.entry("hungarian", "hu.HungarianAnalyzer"),
        Map.entry("indonesian", "id.IndonesianAnalyzer"),
        Map.entry("irish", "ga.IrishAnalyzer"),
        Map.entry("italian", "it.ItalianAnalyzer"),
        Map.entry("latvian", "lv.LatvianAnalyzer"),
        Map.entry("lithuanian", "lt.LithuanianAnalyzer"),
        Map.entry("norwegian", "no.NorwegianAnalyzer"),
        Map.entry("persian", "fa.PersianAnalyzer"),
        Map.entry("portuguese", "pt.PortugueseAnalyzer"),
        Map.entry("romanian", "ro.RomanianAnalyzer"),
        Map.entry("russian", "ru.RussianAnalyzer"),
        Map.entry("serbian", "sr.SerbianAnalyzer"),
        Map.entry("sorani", "ckb.SoraniAnalyzer"),
        Map.entry("spanish", "es.SpanishAnalyzer"),
        Map.entry("swedish", "sv.SwedishAnalyzer"),
        Map.entry("thai", "th.ThaiAnalyzer"),
        Map.entry("turkish", "tr.TurkishAnalyzer")
    );

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        LANGUAGE_ANALYZERS.forEach((name, cls) -> m.put(name, languageAnalyzer("org.apache.lucene.analysis." + cls)));
        return m;
    }

    private static AnalysisProvider<AnalyzerProvider<? extends Analyzer>> languageAnalyzer(String className) {
        return (indexSettings, env, name, settings) -> {
            try {
                Class<?> cls = Class.forName(className);
                CharArraySet defaults = (CharArraySet) cls.getMethod("getDefaultStopSet").invoke(null);
                CharArraySet stopwords = Analysis.parseStopWords(env, settings, defaults);
                CharArraySet stemExclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
                Analyzer analyzer;
                try {
                    analyzer = (Analyzer) cls.getConstructor(CharArraySet.class, CharArraySet.class).newInstance(stopwords, stemExclusion);
                } catch (NoSuchMethodException e) {
                    analyzer = (Analyzer) cls.getConstructor(CharArraySet.class).newInstance(stopwords);
                }
                return new FixedAnalyzerProvider(name, settings, analyzer);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build analyzer [" + name + "] from " + className, e);
            }
        };
    }

    static final class FixedAnalyzerProvider extends AbstractIndexAnalyzerProvider<Analyzer> {
        private final Analyzer analyzer;

        FixedAnalyzerProvider(String name, Settings settings, Analyzer analyzer) {
            super(name, settings);
            this.analyzer = analyzer;
        }

        @Override
        public Analyzer get() {
            return analyzer;
        }
    }

    // ------------------------------------------------------------------ tokenizers

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            checkNgramDiff(is, min, max, "tokenizer");
            IntPredicate chars = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int c) {
                    return chars == null || chars.test(c);
                }
            });
        });
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            IntPredicate chars = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int c) {
                    return chars == null || chars.test(c);
                }
            });
        });
        m.put("keyword", (is, env, name, s) -> {
            int bufferSize = s.getAsInt("buffer_size", 256);
            return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
        });
        m.put("whitespace", (is, env, name, s) -> {
            int maxLen = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxLen));
        });
        m.put("letter", (is, env, name, s) -> TokenizerFactory.newFactory(name, LetterTokenizer::new));
        m.put("classic", (is, env, name, s) -> {
            int maxLen = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                ClassicTokenizer t = new ClassicTokenizer();
                t.setMaxTokenLength(maxLen);
                return t;
            });
        });
        m.put("uax_url_email", (is, env, name, s) -> {
            int maxLen = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
                t.setMaxTokenLength(maxLen);
                return t;
            });
        });
        m.put("pattern", (is, env, name, s) -> {
            Pattern pattern = Pattern.compile(s.get("pattern", "\\W+"), regexFlags(s.get("flags")));
            int group = s.getAsInt("group", -1);
            return TokenizerFactory.newFactory(name, () -> new PatternTokenizer(pattern, group));
        });
        m.put("path_hierarchy", (is, env, name, s) -> {
            char delimiter = s.get("delimiter", "/").charAt(0);
            char replacement = s.get("replacement", String.valueOf(delimiter)).charAt(0);
            int bufferSize = s.getAsInt("buffer_size", 1024);
            int skip = s.getAsInt("skip", 0);
            return TokenizerFactory.newFactory(name, () -> new PathHierarchyTokenizer(bufferSize, delimiter, replacement, skip));
        });
        return m;
    }

    private static void checkNgramDiff(IndexSettings is, int min, int max, String what) {
        if (is == null) {
            return;
        }
        int allowed = is.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in NGram "
                    + what
                    + " must be less than or equal to: ["
                    + allowed
                    + "] but was ["
                    + (max - min)
                    + "]. This limit can be set by changing the [index.max_ngram_diff] index level setting."
            );
        }
    }

    /** token_chars / custom_token_chars of the ngram tokenizers; null means "every character". */
    private static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars", List.of());
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate p = c -> false;
        for (String cls : classes) {
            IntPredicate q = switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> c -> switch (Character.getType(c)) {
                    case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                        Character.OTHER_PUNCTUATION -> true;
                    default -> false;
                };
                case "symbol" -> c -> switch (Character.getType(c)) {
                    case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
                    default -> false;
                };
                case "custom" -> {
                    String custom = s.get("custom_token_chars");
                    if (custom == null) {
                        throw new IllegalArgumentException("Token type: [custom] requires setting [custom_token_chars]");
                    }
                    Set<Integer> set = new HashSet<>();
                    custom.codePoints().forEach(set::add);
                    yield set::contains;
                }
                default -> throw new IllegalArgumentException("Unknown token type: '" + cls + "'");
            };
            p = p.or(q);
        }
        return p;
    }

    private static int regexFlags(String flags) {
        if (flags == null || flags.isBlank()) {
            return 0;
        }
        int f = 0;
        for (String flag : flags.split("\\|")) {
            switch (flag.trim().toUpperCase(Locale.ROOT)) {
                case "CASE_INSENSITIVE" -> f |= Pattern.CASE_INSENSITIVE;
                case "MULTILINE" -> f |= Pattern.MULTILINE;
                case "DOTALL" -> f |= Pattern.DOTALL;
                case "UNICODE_CASE" -> f |= Pattern.UNICODE_CASE;
                case "CANON_EQ" -> f |= Pattern.CANON_EQ;
                case "UNIX_LINES" -> f |= Pattern.UNIX_LINES;
                case "LITERAL" -> f |= Pattern.LITERAL;
                case "COMMENTS" -> f |= Pattern.COMMENTS;
                case "UNICODE_CHARACTER_CLASS" -> f |= Pattern.UNICODE_CHARACTER_CLASS;
                default -> throw new IllegalArgumentException("Unknown regex flag [" + flag + "]");
            }
        }
        return f;
    }

    // ------------------------------------------------------------------ token filters

    static class SimpleFilterFactory extends AbstractTokenFilterFactory {
        private final Function<TokenStream, TokenStream> fn;

        SimpleFilterFactory(String name, Settings settings, Function<TokenStream, TokenStream> fn) {
            super(name, settings);
            this.fn = fn;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return fn.apply(tokenStream);
        }
    }

    /** A filter that is also allowed in keyword normalizers (it works on single characters/tokens). */
    static class NormalizingFilterFactory extends SimpleFilterFactory implements NormalizingTokenFilterFactory {
        NormalizingFilterFactory(String name, Settings settings, Function<TokenStream, TokenStream> fn) {
            super(name, settings, fn);
        }
    }

    private static AnalysisProvider<TokenFilterFactory> simple(Function<TokenStream, TokenStream> fn) {
        return (is, env, name, s) -> new SimpleFilterFactory(name, s, fn);
    }

    private static AnalysisProvider<TokenFilterFactory> normalizing(Function<TokenStream, TokenStream> fn) {
        return (is, env, name, s) -> new NormalizingFilterFactory(name, s, fn);
    }

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("asciifolding", (is, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return new NormalizingFilterFactory(name, s, ts -> new ASCIIFoldingFilter(ts, preserve)) {
                @Override
                public TokenStream normalize(TokenStream ts) {
                    return new ASCIIFoldingFilter(ts, false);
                }
            };
        });
        m.put("lowercase", (is, env, name, s) -> {
            String language = s.get("language");
            Function<TokenStream, TokenStream> fn;
            if (language == null) {
                fn = LowerCaseFilter::new;
            } else {
                fn = switch (language.toLowerCase(Locale.ROOT)) {
                    case "greek" -> GreekLowerCaseFilter::new;
                    case "irish" -> IrishLowerCaseFilter::new;
                    case "turkish" -> TurkishLowerCaseFilter::new;
                    default -> throw new IllegalArgumentException("language [" + language + "] not support for lower case");
                };
            }
            return new NormalizingFilterFactory(name, s, fn);
        });
        m.put("uppercase", normalizing(UpperCaseFilter::new));
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            checkNgramDiff(is, min, max, "filter");
            return new SimpleFilterFactory(name, s, ts -> new NGramTokenFilter(ts, min, max, preserve));
        });
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            if ("back".equalsIgnoreCase(s.get("side", "front"))) {
                return new SimpleFilterFactory(
                    name,
                    s,
                    ts -> new ReverseStringFilter(new EdgeNGramTokenFilter(new ReverseStringFilter(ts), min, max, preserve))
                );
            }
            return new SimpleFilterFactory(name, s, ts -> new EdgeNGramTokenFilter(ts, min, max, preserve));
        });
        m.put("stemmer", (is, env, name, s) -> {
            String language = s.get("language", s.get("name", "english"));
            Function<TokenStream, TokenStream> fn = stemmer(language);
            return new SimpleFilterFactory(name, s, fn);
        });
        m.put("snowball", (is, env, name, s) -> {
            String language = s.get("language", "English");
            snowballProgram(language); // validate now rather than at first use
            return new SimpleFilterFactory(name, s, ts -> new SnowballFilter(ts, language));
        });
        m.put("porter_stem", simple(PorterStemFilter::new));
        m.put("kstem", simple(KStemFilter::new));
        m.put("elision", (is, env, name, s) -> {
            CharArraySet articles = Analysis.parseArticles(env, s);
            CharArraySet set = articles == null ? FrenchAnalyzer.DEFAULT_ARTICLES : articles;
            return new NormalizingFilterFactory(name, s, ts -> new ElisionFilter(ts, set));
        });
        m.put("trim", normalizing(TrimFilter::new));
        m.put("truncate", (is, env, name, s) -> {
            int length = s.getAsInt("length", 10);
            return new SimpleFilterFactory(name, s, ts -> new TruncateTokenFilter(ts, length));
        });
        m.put("unique", (is, env, name, s) -> {
            boolean samePosition = s.getAsBoolean("only_on_same_position", false);
            return new SimpleFilterFactory(name, s, ts -> samePosition ? new RemoveDuplicatesTokenFilter(ts) : new UniqueFilter(ts));
        });
        m.put("length", (is, env, name, s) -> {
            int min = s.getAsInt("min", 0);
            int max = s.getAsInt("max", Integer.MAX_VALUE);
            return new SimpleFilterFactory(name, s, ts -> new LengthFilter(ts, min, max));
        });
        m.put("limit", (is, env, name, s) -> {
            int max = s.getAsInt("max_token_count", 1);
            boolean consumeAll = s.getAsBoolean("consume_all_tokens", false);
            return new SimpleFilterFactory(name, s, ts -> new LimitTokenCountFilter(ts, max, consumeAll));
        });
        m.put("reverse", simple(ReverseStringFilter::new));
        m.put("keyword_marker", (is, env, name, s) -> {
            String keywordsPattern = s.get("keywords_pattern");
            if (keywordsPattern != null) {
                Pattern p = Pattern.compile(keywordsPattern);
                return new SimpleFilterFactory(name, s, ts -> new PatternKeywordMarkerFilter(ts, p));
            }
            boolean ignoreCase = s.getAsBoolean("ignore_case", false);
            List<String> words = Analysis.getWordList(env, s, "keywords");
            CharArraySet set = new CharArraySet(words == null ? List.of() : words, ignoreCase);
            return new SimpleFilterFactory(name, s, ts -> new SetKeywordMarkerFilter(ts, set));
        });
        m.put("pattern_replace", AnalysisPlugin.requiresAnalysisSettings((is, env, name, s) -> {
            String pattern = s.get("pattern");
            if (pattern == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
            }
            Pattern p = Pattern.compile(pattern, regexFlags(s.get("flags")));
            String replacement = s.get("replacement", "");
            boolean all = s.getAsBoolean("all", true);
            return new SimpleFilterFactory(name, s, ts -> new PatternReplaceFilter(ts, p, replacement, all));
        }));
        m.put("word_delimiter_graph", (is, env, name, s) -> {
            int flags = 0;
            flags |= flag(s, "generate_word_parts", true, WordDelimiterGraphFilter.GENERATE_WORD_PARTS);
            flags |= flag(s, "generate_number_parts", true, WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS);
            flags |= flag(s, "catenate_words", false, WordDelimiterGraphFilter.CATENATE_WORDS);
            flags |= flag(s, "catenate_numbers", false, WordDelimiterGraphFilter.CATENATE_NUMBERS);
            flags |= flag(s, "catenate_all", false, WordDelimiterGraphFilter.CATENATE_ALL);
            flags |= flag(s, "split_on_case_change", true, WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE);
            flags |= flag(s, "preserve_original", false, WordDelimiterGraphFilter.PRESERVE_ORIGINAL);
            flags |= flag(s, "split_on_numerics", true, WordDelimiterGraphFilter.SPLIT_ON_NUMERICS);
            flags |= flag(s, "stem_english_possessive", true, WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE);
            boolean adjustOffsets = s.getAsBoolean("adjust_offsets", true);
            boolean ignoreKeywords = s.getAsBoolean("ignore_keywords", false);
            List<String> protectedWords = Analysis.getWordList(env, s, "protected_words");
            CharArraySet prot = protectedWords == null ? null : new CharArraySet(protectedWords, false);
            final int f = ignoreKeywords ? flags | WordDelimiterGraphFilter.IGNORE_KEYWORDS : flags;
            return new SimpleFilterFactory(
                name,
                s,
                ts -> new WordDelimiterGraphFilter(ts, adjustOffsets, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, f, prot)
            );
        });
        m.put("flatten_graph", simple(FlattenGraphFilter::new));
        m.put("decimal_digit", normalizing(DecimalDigitFilter::new));
        m.put("german_normalization", normalizing(GermanNormalizationFilter::new));
        m.put("scandinavian_folding", normalizing(ScandinavianFoldingFilter::new));
        m.put("scandinavian_normalization", normalizing(ScandinavianNormalizationFilter::new));
        m.put("arabic_normalization", normalizing(ArabicNormalizationFilter::new));
        m.put("persian_normalization", normalizing(PersianNormalizationFilter::new));
        m.put("hindi_normalization", normalizing(HindiNormalizationFilter::new));
        m.put("indic_normalization", normalizing(IndicNormalizationFilter::new));
        m.put("bengali_normalization", normalizing(BengaliNormalizationFilter::new));
        m.put("sorani_normalization", normalizing(SoraniNormalizationFilter::new));
        m.put("serbian_normalization", normalizing(SerbianNormalizationFilter::new));
        m.put("cjk_width", normalizing(CJKWidthFilter::new));
        m.put("cjk_bigram", simple(CJKBigramFilter::new));
        m.put("apostrophe", simple(ApostropheFilter::new));
        m.put("classic", simple(ClassicFilter::new));
        return m;
    }

    private static int flag(Settings s, String key, boolean def, int bit) {
        return s.getAsBoolean(key, def) ? bit : 0;
    }

    /** Like Elasticsearch's "unique" filter: drops any token text already seen in the stream. */
    static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueFilter(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                char[] buf = term.buffer();
                int len = term.length();
                if (seen.contains(buf, 0, len) == false) {
                    char[] copy = new char[len];
                    System.arraycopy(buf, 0, copy, 0, len);
                    seen.add(copy);
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }

    private static final Map<String, Function<TokenStream, TokenStream>> STEMMERS = Map.ofEntries(
        Map.entry("arabic", ArabicStemFilter::new),
        Map.entry("brazilian", BrazilianStemFilter::new),
        Map.entry("english", PorterStemFilter::new),
        Map.entry("porter", PorterStemFilter::new),
        Map.entry("light_english", KStemFilter::new),
        Map.entry("kstem", KStemFilter::new),
        Map.entry("minimal_english", EnglishMinimalStemFilter::new),
        Map.entry("possessive_english", EnglishPossessiveFilter::new),
        Map.entry("porter2", ts -> new SnowballFilter(ts, "English")),
        Map.entry("light_finnish", FinnishLightStemFilter::new),
        Map.entry("light_swedish", SwedishLightStemFilter::new),
        Map.entry("light_french", FrenchLightStemFilter::new),
        Map.entry("minimal_french", FrenchMinimalStemFilter::new),
        Map.entry("light_german", GermanLightStemFilter::new),
        Map.entry("minimal_german", GermanMinimalStemFilter::new),
        Map.entry("light_italian", ItalianLightStemFilter::new),
        Map.entry("light_norwegian", NorwegianLightStemFilter::new),
        Map.entry("minimal_norwegian", NorwegianMinimalStemFilter::new),
        Map.entry("light_portuguese", PortugueseLightStemFilter::new),
        Map.entry("minimal_portuguese", PortugueseMinimalStemFilter::new),
        Map.entry("portuguese_rslp", PortugueseStemFilter::new),
        Map.entry("light_russian", RussianLightStemFilter::new),
        Map.entry("light_spanish", SpanishLightStemFilter::new),
        Map.entry("dutch_kp", ts -> new SnowballFilter(ts, "Kp")),
        Map.entry("lovins", ts -> new SnowballFilter(ts, "Lovins"))
    );

    /** The "stemmer" filter: the explicit Lucene stemmers above, else the Snowball stemmer of that language. */
    private static Function<TokenStream, TokenStream> stemmer(String language) {
        String key = language.toLowerCase(Locale.ROOT);
        Function<TokenStream, TokenStream> fn = STEMMERS.get(key);
        if (fn != null) {
            return fn;
        }
        String program = snowballProgram(key);
        return ts -> new SnowballFilter(ts, program);
    }

    /** Validates a Snowball language name ("finnish", "Swedish", "german2", ...) and returns the program name. */
    private static String snowballProgram(String language) {
        String lower = language.toLowerCase(Locale.ROOT);
        String program = Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
        try {
            Class.forName("org.tartarus.snowball.ext." + program + "Stemmer");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("unknown stemmer / snowball language [" + language + "]");
        }
        return program;
    }

    // ------------------------------------------------------------------ char filters

    static class SimpleCharFilterFactory extends AbstractCharFilterFactory {
        private final Function<Reader, Reader> fn;

        SimpleCharFilterFactory(String name, Function<Reader, Reader> fn) {
            super(name);
            this.fn = fn;
        }

        @Override
        public Reader create(Reader reader) {
            return fn.apply(reader);
        }
    }

    static final class NormalizingCharFilter extends SimpleCharFilterFactory implements NormalizingCharFilterFactory {
        NormalizingCharFilter(String name, Function<Reader, Reader> fn) {
            super(name, fn);
        }
    }

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", (is, env, name, s) -> {
            List<String> escaped = s.getAsList("escaped_tags", List.of());
            Set<String> tags = escaped.isEmpty() ? null : Set.copyOf(escaped);
            return new SimpleCharFilterFactory(name, r -> tags == null ? new HTMLStripCharFilter(r) : new HTMLStripCharFilter(r, tags));
        });
        m.put("mapping", AnalysisPlugin.requiresAnalysisSettings((is, env, name, s) -> {
            List<String> rules = Analysis.getWordList(env, s, "mappings");
            if (rules == null) {
                throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
            }
            NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
            for (String rule : rules) {
                Matcher matcher = MAPPING_RULE.matcher(rule);
                if (matcher.find() == false) {
                    throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
                }
                String lhs = unescape(matcher.group(1).trim());
                String rhs = unescape(matcher.group(2).trim());
                if (lhs.isEmpty()) {
                    throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]. Replaced string cannot be empty");
                }
                builder.add(lhs, rhs);
            }
            NormalizeCharMap map = builder.build();
            return new NormalizingCharFilter(name, r -> new MappingCharFilter(map, r));
        }));
        m.put("pattern_replace", AnalysisPlugin.requiresAnalysisSettings((is, env, name, s) -> {
            String pattern = s.get("pattern");
            if (pattern == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
            }
            Pattern p = Pattern.compile(pattern, regexFlags(s.get("flags")));
            String replacement = s.get("replacement", "");
            return new NormalizingCharFilter(name, r -> new PatternReplaceCharFilter(p, replacement, r));
        }));
        return m;
    }

    private static final Pattern MAPPING_RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case '\\' -> out.append('\\');
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 >= s.length()) {
                            throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                        }
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
