namespace MossGrains.Grains.Idempotency;

/// <summary>One write's answer, kept under its idempotency key with the hash of the request it answered.</summary>
[GenerateSerializer]
[Alias("moss.RememberedAnswer")]
public sealed record RememberedAnswer(
    [property: Id(0)] string Key,
    [property: Id(1)] string RequestHash,
#pragma warning disable CA1819 // the serialized answer, stored as it is
    [property: Id(2)] byte[] Answer,
#pragma warning restore CA1819
    [property: Id(3)] DateTimeOffset At);

/// <summary>The answers a grain remembers (grain storage): at most <see cref="MaxAnswers"/>, none older than <see cref="MaxAge"/>.</summary>
[GenerateSerializer]
[Alias("moss.RememberedAnswers")]
public sealed class RememberedAnswers
{
    public const int MaxAnswers = 1_000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    [Id(0)]
    public List<RememberedAnswer> Answers { get; set; } = [];

    /// <summary>The live answer under <paramref name="key"/>, if any.</summary>
    public RememberedAnswer? Find(string key, DateTimeOffset now) =>
        Answers.FindLast(a => a.Key == key && now - a.At < MaxAge);

    /// <summary>Adds <paramref name="answer"/>, dropping the expired ones and then the oldest beyond <see cref="MaxAnswers"/>.</summary>
    public void Add(RememberedAnswer answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Answers.RemoveAll(a => now - a.At >= MaxAge || a.Key == answer.Key);
        Answers.Add(answer);
        if (Answers.Count > MaxAnswers)
        {
            Answers.RemoveRange(0, Answers.Count - MaxAnswers);
        }
    }
}

/// <summary>A grain whose <see cref="RemembersAnswerAttribute"/> methods answer a retried request (same idempotency key) with the first answer.</summary>
public interface IRemembersAnswers
{
    IPersistentState<RememberedAnswers> RememberedAnswers { get; }
}
