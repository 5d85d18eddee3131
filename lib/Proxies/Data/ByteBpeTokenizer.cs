using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Text;
using Proxies.Runtime;
using Microsoft.ML.Tokenizers;

namespace Proxies.Data;

/// <summary>
/// Byte-level BPE as in GPT-2, learned from the training documents: text is cut into words with their leading
/// space, merges are learned over those words (<see cref="BpeTrainer"/>), and &lt;eos&gt; follows each document.
/// Encoding is Microsoft.ML.Tokenizers' BPE tokenizer reading the learned vocab.json and merges.txt, so the files
/// in the cache folder are exactly what the model was trained on and any GPT-2-style tokenizer can read them.
/// </summary>
public sealed partial class ByteBpeTokenizer : ITokenizer
{
    public const string EndOfDocument = "<eos>";

    /// <summary>GPT-2's pre-tokenizer: contractions, then letters, digits or other symbols, each with one leading space.</summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Words();

    readonly BpeTokenizer bpe;

    public BpeMerges Learned { get; }
    /// <summary>The folder holding vocab.json and merges.txt.</summary>
    public string Folder { get; }
    public string Spec { get; }
    public int EndOfDocumentId => Learned.Tokens.Count;
    public int VocabSize => Learned.Tokens.Count + 1;

    ByteBpeTokenizer(string spec, BpeMerges learned, string folder)
    {
        (Spec, Learned, Folder) = (spec, learned, folder);
        var options = new BpeOptions(Path.Combine(folder, Gpt2BpeFiles.VocabFile), Path.Combine(folder, Gpt2BpeFiles.MergesFile))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Words(), specialTokens: null),
        };
        bpe = BpeTokenizer.Create(options);
    }

    /// <summary>Learns a vocabulary of <paramref name="size"/> tokens (256 bytes, merges, &lt;eos&gt;) and writes its
    /// files under <paramref name="cacheFolder"/>, in a subfolder named by their content (so processes that learn the
    /// same vocabulary share it). If that folder cannot be written, a fresh temporary folder is used instead.</summary>
    public static ByteBpeTokenizer Train(int size, IEnumerable<string> trainingDocuments, string cacheFolder)
    {
        var learned = BpeTrainer.Learn(CountWords(trainingDocuments), size - 1);
        var vocab = Gpt2BpeFiles.VocabJson(learned, EndOfDocument);
        var merges = Gpt2BpeFiles.MergesText(learned);
        var name = "bpe-" + Convert.ToHexStringLower(SHA256.HashData([.. vocab, .. merges]))[..16];
        string folder;
        try { folder = WriteFiles(Path.Combine(cacheFolder, name), vocab, merges); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folder = WriteFiles(Directory.CreateTempSubdirectory("proxies-" + name + "-").FullName, vocab, merges);
        }
        return new ByteBpeTokenizer($"bpe:{size}", learned, folder);
    }

    public int[] Encode(IEnumerable<string> documents)
    {
        var stream = new List<int>();
        foreach (var document in documents)
        {
            stream.AddRange(bpe.EncodeToIds(document));
            stream.Add(EndOfDocumentId);
        }
        return [.. stream];
    }

    public string Decode(IEnumerable<int> ids) => bpe.Decode(ids);

    static IEnumerable<(byte[] Word, long Count)> CountWords(IEnumerable<string> documents) =>
        MatchCounts.Count(documents, Words()).Select(p => (Encoding.UTF8.GetBytes(p.Key), p.Value));

    static string WriteFiles(string folder, byte[] vocab, byte[] merges)
    {
        WriteIfDifferent(Path.Combine(folder, Gpt2BpeFiles.VocabFile), vocab);
        WriteIfDifferent(Path.Combine(folder, Gpt2BpeFiles.MergesFile), merges);
        return folder;
    }

    /// <summary>Another process that learned the same vocabulary has usually written the same bytes already.</summary>
    static void WriteIfDifferent(string path, byte[] content)
    {
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content)) AtomicFile.WriteAllBytes(path, content);
    }
}
