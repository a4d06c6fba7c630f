namespace MossGrains.Grains.Idempotency;

/// <summary>
/// Marks a grain write whose answer is remembered under the call's idempotency key (<see cref="IdempotencyKeys"/>): sent
/// again with the key, it answers what it answered the first time instead of doing the work again.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RemembersAnswerAttribute : Attribute;
