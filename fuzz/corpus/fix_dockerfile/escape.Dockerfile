# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command `
    Write-Host hello
ADD https://example.com/a.tgz C:/a
ENV PASSWORD=hunter2 TOKEN="x y"
EXPOSE 22 70000/tcp
USER root
CMD echo done
