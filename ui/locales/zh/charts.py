"""Chinese strings: chart titles, axes, legends and hover text (ui/charts.py)."""

STRINGS: dict[str, str] = {
    "Examples per class": "各类别样本数",
    "class": "类别",
    "examples": "样本数",
    "Text length by language": "各语言文本长度",
    "characters": "字符数",
    "texts": "条文本",
    "axis|texts": "文本数",
    "epoch": "轮次",
    "train": "训练",
    "validation": "验证",
    "Confusion matrix": "混淆矩阵",
    "predicted": "预测",
    "true ↓": "真实 ↓",
    "tokens in reading order (hover a bar to see its token)": "按阅读顺序排列的词元（悬停在柱上查看词元）",
    "share of row": "占该行比例",
    "cells": "单元格",
    "true %{y}<br>predicted %{x}<br>%{text} texts (%{z:.0%} of the row)<extra></extra>": (
        "真实 %{y}<br>预测 %{x}<br>%{text} 条文本（占该行 %{z:.0%}）<extra></extra>"
    ),
    "true %{y}<br>predicted %{x}<br>%{customdata[0]} texts (%{customdata[1]:.0%} of the row)": (
        "真实 %{y}<br>预测 %{x}<br>%{customdata[0]} 条文本（占该行 %{customdata[1]:.0%}）"
    ),
    "perfect": "完美校准",
    "accuracy": "准确率",
    "confidence": "置信度",
    "confidence %{customdata[1]:.2f}<br>accuracy %{y:.2f}<br>%{customdata[0]} texts<extra></extra>": (
        "置信度 %{customdata[1]:.2f}<br>准确率 %{y:.2f}<br>%{customdata[0]} 条文本<extra></extra>"
    ),
    "Reliability (ECE {ece:.3f})": "可靠性图（ECE {ece:.3f}）",
    "Test-set scores": "测试集得分",
    "%{customdata[1]}<br>label %{customdata[2]} · predicted %{customdata[3]} (%{customdata[4]})<extra></extra>": (
        "%{customdata[1]}<br>标签 %{customdata[2]} · 预测 %{customdata[3]}（%{customdata[4]}）<extra></extra>"
    ),
    "your text": "你的文本",
    "Class probabilities": "各类别概率",
    "Which tokens mattered for “{label}”": "哪些词元影响了“{label}”",
    "drop in log-odds when removed": "去掉后对数几率的下降",
    "Attention, layer {layer}, head {head}": "注意力：第 {layer} 层，第 {head} 个头",
    "Agreement on the test split": "测试集上的预测一致性",
    "Accuracy against the share of labels": "准确率与标注比例",
    "share of labelled training texts": "已标注训练文本的比例",
    "test accuracy": "测试准确率",
    "label": "标签",
    "prediction": "预测",
    "correct / wrong": "正确 / 错误",
    "split": "数据划分",
    "language": "语言",
    "movement": "移动",
    "before": "微调前",
    "before → after: ": "微调前 → 微调后：",
    "▶ Play": "▶ 播放",
    "❚❚ Pause": "❚❚ 暂停",
    "{n:,} longer texts (up to {longest:,} characters) are off the chart": "另有 {n:,} 条更长的文本（最长 {longest:,} 个字符）不在图中",
    "1 longer text ({longest:,} characters) is off the chart": "另有 1 条更长的文本（{longest:,} 个字符）不在图中",
}
