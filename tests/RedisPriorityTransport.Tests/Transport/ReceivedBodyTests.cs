using System.Text;
using System.Text.Json;
using MassTransit;
using RedisPriorityTransport.Transport;

namespace RedisPriorityTransport.Tests.Transport;

/// <summary>
/// A received body is a view of the reserve's reply: MassTransit's JSON serializers parse it in place, the others read
/// the same bytes.
/// </summary>
public class ReceivedBodyTests : TransportTestBase
{
    [Fact]
    public void Every_view_of_a_received_body_reads_exactly_its_part_of_the_reply()
    {
        var reply = Encoding.UTF8.GetBytes("7,1,42,1764558643326,0,0|{\"orderId\":\"view-1\",\"note\":\"ä\"}");
        var start = Array.IndexOf(reply, (byte)'|') + 1;
        var expected = reply[start..];
        var body = new RedisMessageBody(reply.AsMemory(start));

        Assert.Equal(expected.Length, body.Length);
        Assert.Equal(expected, body.GetBytes());
        Assert.Same(body.GetBytes(), body.GetBytes());
        using (var stream = body.GetStream())
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(expected, copy.ToArray());
        }

        Assert.Equal("{\"orderId\":\"view-1\",\"note\":\"ä\"}", body.GetString());
        var element = ((JsonMessageBody)body).GetJsonElement(new JsonSerializerOptions())!.Value;
        Assert.Equal("view-1", element.GetProperty("orderId").GetString());
    }

    [Fact]
    public void A_received_body_that_is_not_JSON_fails_to_parse_as_JSON_and_still_reads_as_bytes()
    {
        var reply = Encoding.UTF8.GetBytes("7,1,42,1764558643326,0,0|<order id=\"x\"/>");
        var body = new RedisMessageBody(reply.AsMemory(Array.IndexOf(reply, (byte)'|') + 1));

        Assert.ThrowsAny<JsonException>(() => ((JsonMessageBody)body).GetJsonElement(new JsonSerializerOptions()));
        Assert.Equal("<order id=\"x\"/>", Encoding.UTF8.GetString(body.GetBytes()));
    }

    [Fact]
    public async Task A_bus_with_MassTransits_raw_JSON_serializer_consumes_its_messages()
    {
        await StartHarness(x => x.AddConsumer<InvoiceConsumer>(), (_, cfg) => cfg.UseRawJsonSerializer());

        await Harness.Bus.Publish(new InvoiceRequested("raw-1"));

        Assert.True(await Harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "raw-1"));
        var context = Harness.Consumed.Select<InvoiceRequested>(x => x.Context.Message.OrderId == "raw-1").Single().Context;
        Assert.StartsWith("application/json", context.ReceiveContext.ContentType?.MediaType);
    }
}
