using System.Reflection;
using System.Security.Cryptography;
using Orleans.Serialization;

namespace MossGrains.Grains.Idempotency;

/// <summary>
/// For a call to a <see cref="RemembersAnswerAttribute"/> method of an <see cref="IRemembersAnswers"/> grain that carries an
/// idempotency key (<see cref="IdempotencyKeys.Current"/>): a key seen before with the same request (method and
/// arguments) returns the remembered answer without calling the grain; with another request it is refused
/// (<see cref="IdempotencyKeyReusedException"/>); a new key runs the call and stores its answer in the grain's storage
/// before answering, so a retry that lands on another silo after a failover finds it. Runs inside the grain's turn, so a
/// retry that arrives while the first call runs waits for it and gets its answer.
/// </summary>
internal sealed class IdempotencyFilter(Serializer serializer, TimeProvider time) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IdempotencyKeys.Current is not { } key
            || context.TargetContext.GrainInstance is not IRemembersAnswers grain
            || context.InterfaceMethod?.GetCustomAttribute<RemembersAnswerAttribute>() is null)
        {
            await context.Invoke();
            return;
        }

        var state = grain.RememberedAnswers;
        string hash = RequestHash(context);
        if (state.State.Find(key, time.GetUtcNow()) is { } remembered)
        {
            context.Result = remembered.RequestHash == hash
                ? serializer.Deserialize<object?>(remembered.Answer)
                : throw IdempotencyKeyReusedException.For(key);
            return;
        }

        await context.Invoke();
        var now = time.GetUtcNow();
        state.State.Add(new RememberedAnswer(key, hash, serializer.SerializeToArray<object?>(context.Result), now), now);
        await state.WriteStateAsync();
    }

    /// <summary>SHA-256 of the method and its arguments (cancellation tokens aside).</summary>
    private string RequestHash(IIncomingGrainCallContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(context.InterfaceName + "." + context.MethodName));
        var request = context.Request;
        for (int i = 0; i < request.GetArgumentCount(); i++)
        {
            if (request.GetArgument(i) is not CancellationToken)
            {
                hash.AppendData(serializer.SerializeToArray<object?>(request.GetArgument(i)));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
