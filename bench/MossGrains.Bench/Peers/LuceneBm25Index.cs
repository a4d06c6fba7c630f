using Lucene.Net.Analysis.En;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using MossGrains.Bench.Beir;

namespace MossGrains.Bench.Peers;

/// <summary>
/// Lucene.Net 4.8 as a BM25 peer: one in-memory index of <c>title + " " + text</c> analysed by <see cref="EnglishAnalyzer"/>
/// (StandardTokenizer, possessive and lower-case filters, Lucene's English stopwords, Porter stemming) and scored by
/// <see cref="BM25Similarity"/> at the engine's k1 and b. A query is what Lucene's <see cref="QueryBuilder"/> makes of the
/// text (one SHOULD term clause per analysed token, as Elasticsearch's match query, BEIR's BM25 baseline); hits return
/// their stored document id.
/// </summary>
internal sealed class LuceneBm25Index : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string IdField = "id";
    private const string TextField = "text";

    private readonly EnglishAnalyzer _analyzer = new(Version);
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly QueryBuilder _queries;

    public LuceneBm25Index(IReadOnlyList<BeirDocument> corpus, float k1, float b)
    {
        var similarity = new BM25Similarity(k1, b);
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { Similarity = similarity }))
        {
            foreach (var document in corpus)
            {
                writer.AddDocument(new Document
                {
                    new StringField(IdField, document.Id, Field.Store.YES),
                    new Lucene.Net.Documents.TextField(TextField, document.IndexedText, Field.Store.NO),
                });
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = similarity };
        _queries = new QueryBuilder(_analyzer);
    }

    /// <summary>Ids of the best <paramref name="k"/> documents, best first (none when no query token survives analysis).</summary>
    public List<string> Search(string text, int k)
    {
        var ids = new List<string>(k);
        if (_queries.CreateBooleanQuery(TextField, text) is not { } query)
        {
            return ids;
        }

        foreach (var hit in _searcher.Search(query, k).ScoreDocs)
        {
            ids.Add(_searcher.Doc(hit.Doc).Get(IdField));
        }

        return ids;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }
}
