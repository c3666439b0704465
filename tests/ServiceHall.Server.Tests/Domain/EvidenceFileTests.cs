using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.CaseTestData;

namespace ServiceHall.Server.Tests.Domain;

public class EvidenceFileTests
{
    private static readonly Guid CaseId = Guid.CreateVersion7();

    private static byte[] File(byte[] head, int size = 64)
    {
        var bytes = new byte[size];
        head.CopyTo(bytes, 0);
        return bytes;
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, EvidenceFileKind.Jpeg, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, EvidenceFileKind.Png, "image/png")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, EvidenceFileKind.Pdf, "application/pdf")]
    public void Accept_TypeReadFromTheLeadingBytes_WhateverTheName(byte[] head, EvidenceFileKind kind, string contentType)
    {
        var file = EvidenceFiles.Accept(CaseId, "说明.txt", File(head), 1024, 0, 10, Handler, MondayMorning);

        Assert.Equal(kind, file.Kind);
        Assert.Equal(contentType, file.ContentType);
        Assert.Equal("附件:" + file.Id, file.Reference);
        Assert.Equal(64, file.SizeBytes);
        Assert.Equal("h1", file.UploadedBy);
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 })] // GIF
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 })] // an executable
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 })] // a zip (or an Office document)
    [InlineData(new byte[] { 0xFF, 0xD8 })] // too short to be a JPEG
    public void Accept_AnyOtherContent_RefusedNamingTheContent(byte[] head)
    {
        var e = Assert.Throws<InvalidInputException>(() => EvidenceFiles.Accept(CaseId, "照片.jpg", head, 1024, 0, 10, Handler, MondayMorning));

        Assert.Equal("content", e.Field);
    }

    [Fact]
    public void Accept_OverTheLimitEmptyOrTheCaseFull_RefusedNamingTheContent()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        Assert.Equal("content", Assert.Throws<InvalidInputException>(() => EvidenceFiles.Accept(CaseId, "a.png", File(png, 1025), 1024, 0, 10, Handler, MondayMorning)).Field);
        Assert.Equal("content", Assert.Throws<InvalidInputException>(() => EvidenceFiles.Accept(CaseId, "a.png", [], 1024, 0, 10, Handler, MondayMorning)).Field);
        Assert.Equal("content", Assert.Throws<InvalidInputException>(() => EvidenceFiles.Accept(CaseId, "a.png", File(png), 1024, 10, 10, Handler, MondayMorning)).Field);
        Assert.Equal(1024, EvidenceFiles.Accept(CaseId, "a.png", File(png, 1024), 1024, 9, 10, Handler, MondayMorning).SizeBytes);
    }

    [Fact]
    public void Accept_FileName_FoldersAndControlsDropped_NoneOrTooLongRefused()
    {
        var pdf = File("%PDF-1.7"u8.ToArray());

        Assert.Equal("台账.pdf", EvidenceFiles.Accept(CaseId, "C:\\docs/x\\台账\u202E.pdf", pdf, 1024, 0, 10, Handler, MondayMorning).FileName);
        Assert.Equal("file_name", Assert.Throws<InvalidInputException>(() => EvidenceFiles.Accept(CaseId, "  ", pdf, 1024, 0, 10, Handler, MondayMorning)).Field);
        Assert.Equal("file_name", Assert.Throws<InvalidInputException>(() => EvidenceFiles.Accept(CaseId, new string('长', 101) + ".pdf", pdf, 1024, 0, 10, Handler, MondayMorning)).Field);
    }
}

public class CaseExcerptTests
{
    [Fact]
    public void Of_ScrubsTheRatersIdentityAndCutsToTheFirstWords()
    {
        var excerpt = CaseExcerpt.Of("我是张伟，电话13912345678，窗口让我来回跑了三趟，材料清单和网上写的不一样，希望尽快改进流程，谢谢");

        Assert.StartsWith("我是某某，电话[电话已隐去]", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("张伟", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("1391234", excerpt, StringComparison.Ordinal);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
        Assert.Equal(CaseExcerpt.Length + 1, new System.Globalization.StringInfo(excerpt).LengthInTextElements);
    }

    [Fact]
    public void Of_ShortTextOnOneLine_NoTextEmpty()
    {
        Assert.Equal("排队太久 态度不好", CaseExcerpt.Of("排队太久\n态度不好"));
        Assert.Equal("", CaseExcerpt.Of(null));
        Assert.Equal("", CaseExcerpt.Of("  "));
    }
}
